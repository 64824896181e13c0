"""What a cold start does once per container: build the app, then import each route module on its first request."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while the body runs (imports: the app's build, a route module's first load).

    Importing allocates hundreds of thousands of objects that live as long as the container, and the collector
    would walk the young ones more than a hundred times during one cold registration request to find a few
    hundred garbage objects: measured, about a fifth of the import's CPU time (docs/benchmarks.md, "Cold start").
    Reference counting still frees everything else at once; what cycles the body leaves are collected afterwards.
    Only whoever paused resumes, so a nested or concurrent pause never leaves collection off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
