"""The app pauses garbage collection while it imports (its build, a route module's first load) and never leaves it
paused."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from chalicelib.cold_start import collection_paused
from chalicelib.http.lazy import load_route_module


def test_collection_is_paused_inside_and_resumed_after_even_on_error():
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ImportError), collection_paused():
        raise ImportError("a route module that fails to import")
    assert gc.isenabled()


def test_only_whoever_paused_resumes():
    with collection_paused():
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause found it paused and left it so
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()  # paused by someone else: still theirs to resume
    finally:
        gc.enable()


def test_a_route_module_is_first_imported_with_collection_paused(tmp_path, monkeypatch):
    (tmp_path / "route_module_probe.py").write_text("import gc\nCOLLECTING = gc.isenabled()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = load_route_module("route_module_probe")
    assert module.COLLECTING is False and gc.isenabled()
    assert load_route_module("route_module_probe") is module
    del sys.modules["route_module_probe"]


def test_the_built_app_collects_garbage():
    code = "import gc, app; print(gc.isenabled(), len(app.app.routes) > 100)"
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ran.stdout.split() == ["True", "True"]
