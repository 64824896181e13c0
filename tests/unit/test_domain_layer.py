"""The domain depends on nothing of the app but itself and the typed errors (docs/architecture.md): no message
lookup, storage, services or web. It names message ids (``N_`` from ``chalicelib.domain.language``); the service or
page translates them."""

from __future__ import annotations

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "chalicelib" / "domain"
ALLOWED = ("chalicelib.domain", "chalicelib.errors")


def _app_imports(path: Path) -> list[str]:
    """Every chalicelib module ``path`` imports, at the top or inside a function."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return [name for name in names if name == "chalicelib" or name.startswith("chalicelib.")]


def test_the_domain_imports_only_itself_and_the_errors():
    modules = sorted(DOMAIN.rglob("*.py"))
    assert len(modules) > 20  # the walk found the domain
    outside = {
        f"{path.relative_to(DOMAIN)}: {name}"
        for path in modules
        for name in _app_imports(path)
        if not any(name == allowed or name.startswith(allowed + ".") for allowed in ALLOWED)
    }
    assert outside == set()
