"""Loading code with the garbage collector paused (chalicelib/loading.py) and the route loader that uses it."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator

import pytest

from chalicelib.http import lazy
from chalicelib.loading import loading_code


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_inside_and_on_after() -> None:
    with loading_code():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_what_was_loaded_is_frozen() -> None:
    frozen_before = gc.get_freeze_count()
    with loading_code():
        loaded = [{"object": index} for index in range(50)]
    assert gc.get_freeze_count() >= frozen_before + len(loaded)


def test_a_nested_block_leaves_the_collector_to_the_outer_one() -> None:
    with loading_code():
        with loading_code():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_block_entered_with_the_collector_off_changes_nothing() -> None:
    gc.disable()
    frozen_before = gc.get_freeze_count()
    with loading_code():
        pass
    assert not gc.isenabled()
    assert gc.get_freeze_count() == frozen_before


def test_a_failed_import_turns_the_collector_back_on() -> None:
    with pytest.raises(ModuleNotFoundError), loading_code():
        __import__("chalicelib.no_such_module")
    assert gc.isenabled()


def test_a_route_module_loads_once_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    name = "chalicelib.api.system"
    monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(lazy, "_loaded", {})
    collector_while_importing: list[bool] = []
    real_import = lazy.importlib.import_module

    def watched_import(module: str) -> object:
        collector_while_importing.append(gc.isenabled())
        return real_import(module)

    monkeypatch.setattr(lazy.importlib, "import_module", watched_import)
    first = lazy.route_module(name)
    again = lazy.route_module(name)
    assert first is again is sys.modules[name]
    assert collector_while_importing == [False]
    assert gc.isenabled()
