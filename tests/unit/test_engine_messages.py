"""Every refusal code of the competition engine is a message in both languages: the service turns the engine's
errors into ``Conflict(problem.code)``, so a code without a message would reach people as the code itself."""

from __future__ import annotations

import ast
from pathlib import Path

from chalicelib.i18n import catalogue
from devtools.check_messages import ENGINE_ERROR_CLASSES, KEYWORDS, extract_python

ENGINE = Path(__file__).resolve().parents[2] / "chalicelib" / "domain" / "competition"
# An engine error raised with a code that is not a literal: a code passed on (``StageError(problem.code, ...)``)
# or the parameter of a helper whose callers write the code with N_ (judging._decimal).
FORWARDED = {"problem.code", "code"}


def _literal(node: ast.expr) -> str | None:
    """``"code"`` or ``N_("code")`` as written; None for anything computed."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "N_" and node.args:
        node = node.args[0]
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _raised(path: Path) -> tuple[set[str], set[str]]:
    """The codes ``path`` raises engine errors with (and passes to judging._decimal, which raises them), and the
    expressions of those it does not write out."""
    codes, forwarded = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id in ENGINE_ERROR_CLASSES:
            argument = node.args[0]
        elif node.func.id == "_decimal" and len(node.args) == 2:
            argument = node.args[1]
        else:
            continue
        code = _literal(argument)
        if code is None:
            forwarded.add(ast.unparse(argument))
        else:
            codes.add(code)
    return codes, forwarded


def _engine_codes() -> set[str]:
    codes: set[str] = set()
    for path in sorted(ENGINE.glob("*.py")):
        raised, forwarded = _raised(path)
        assert forwarded <= FORWARDED, f"{path.name}: an engine error with a computed code {forwarded - FORWARDED}"
        codes |= raised
    return codes


def test_every_engine_error_code_has_a_message_in_chinese_and_english():
    codes = _engine_codes()
    # The engine's refusals of every kind: draws, brackets, schedules, standings, progress, judging (mark_invalid is
    # raised through judging._decimal), as found in the code.
    assert {
        "too_many_byes",
        "bad_days_between",
        "lot_not_last",
        "winner_required",
        "tier_shares",
        "mark_invalid",
    } <= codes
    assert len(codes) >= 60
    for language in ("zh", "en"):
        messages = catalogue(language)
        missing = sorted(code for code in codes if not messages.get(code))
        assert not missing, f"engine codes without a {language} message: {missing}"
    # Chinese and English are each written, not copied from the other or left as the code.
    assert all(catalogue("zh")[code] != catalogue("en")[code] != code for code in codes)


def test_engine_error_classes_are_extraction_keywords():
    # The check_messages extractor takes an engine error's first argument as a message id, so `make test` fails on
    # a new code without a message.
    assert set(ENGINE_ERROR_CLASSES) <= set(KEYWORDS)
    source = ENGINE / "progress.py"
    with source.open("rb") as code:
        found = {message for _line, _f, message, _c in extract_python(code, KEYWORDS, [], {})}
    assert {"invalid_winner", "winner_required", "not_ready", "not_played"} <= found
