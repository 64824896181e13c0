"""Loading code without pausing for the garbage collector, for Lambda cold starts.

Importing the app and a route group allocates tens of thousands of long-lived objects (modules, classes,
functions, botocore's service model, pydantic's validators) and almost no garbage. CPython's collector runs
every few hundred allocations regardless, and its full passes walk every object made so far: measured, they
were 18 ms of a cold registration's 330 ms and 59 ms of the heaviest page group's 545 ms, all of it finding
nothing to free (bench/coldstart.py). So the collector is off while code loads; what was loaded is then frozen
(``gc.freeze``: moved to the permanent generation), so that later collections, in the requests themselves, no
longer walk it either.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def loading_code() -> Iterator[None]:
    """Run the block with the collector off, then freeze what it loaded and turn the collector back on.

    Nested or concurrent blocks leave it to the outermost one: a block entered with the collector already off
    changes nothing.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
