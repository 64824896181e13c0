"""The translation catalogues against the code: every message id the code uses is in both catalogues, translated.

Extracts every message id from chalicelib/ with Babel, as configured in babel.cfg (Python and the Jinja2
templates; the keywords are ``KEYWORDS`` below), reads chalicelib/locale/{zh_CN,en}/LC_MESSAGES/messages.po and
prints:

- missing: ids the code uses that a catalogue lacks, or holds with an empty text (always a failure);
- unused: catalogue ids no code names. An id built at run time (``f"x.{kind}"``) cannot be found by extraction:
  chalicelib/locale/runtime_ids.txt lists the prefixes of such families, each with the file that builds it, and
  the ids under them are counted apart. That list must only shrink: an entry whose file no longer contains its
  prefix is reported as stale, so a family converted to an explicit table (``N_``) leaves the list. Unused ids
  outside those families and stale entries fail with ``--strict-unused``, as ``make test`` runs it: a message no
  code names is deleted from both catalogues, or its id written where it is used (``N_``);
- stale compiled catalogues: a messages.mo that is not what its messages.po compiles to (a failure).

    python -m devtools.check_messages --strict-unused     # the check `make test` runs
    python -m devtools.check_messages --compile           # rewrite the .mo files after editing a .po
    python -m devtools.check_messages --add ID --zh TEXT --en TEXT   # append a message to both, compile
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "chalicelib"
LOCALE_DIR = SOURCE / "locale"
LOCALES = ("zh_CN", "en")
RUNTIME_IDS = LOCALE_DIR / "runtime_ids.txt"
MAPPING = ROOT / "babel.cfg"
# The functions whose first argument is a message id: the catalogue lookups (t in templates, translate, the
# gettext aliases of jinja2.ext.i18n), N_ for ids written in tables, and the typed errors, whose code is the id.
ERROR_CLASSES = (
    "AppError",
    "BadRequest",
    "Unauthenticated",
    "Forbidden",
    "NotFound",
    "MethodNotAllowed",
    "NotAcceptable",
    "Conflict",
    "Unprocessable",
    "UnsupportedMediaType",
    "RateLimited",
    "DependencyUnavailable",
    "InvalidInput",
    "PayloadTooLarge",
)
# The competition engine's refusals (chalicelib/domain/competition/): their codes reach people as
# Conflict(problem.code), so each code is a message id too.
ENGINE_ERROR_CLASSES = (
    "StageError",
    "ScheduleError",
    "ProgressError",
    "DrawError",
    "JudgingError",
    "BracketError",
    "StandingsError",
)
KEYWORDS: dict[str, tuple[int, ...]] = {name: (1,) for name in ("t", "_", "gettext", "translate", "N_")} | {
    name: (1,) for name in ERROR_CLASSES + ENGINE_ERROR_CLASSES
}


@dataclass(frozen=True)
class Family:
    """Message ids built at run time: every id starting with ``prefix``, built in ``path``."""

    prefix: str
    path: str


@dataclass(frozen=True)
class Report:
    missing: dict[str, list[str]]  # locale -> ids used but absent or empty there
    unused: list[str]  # catalogue ids no code names and no run-time family covers
    runtime: dict[Family, list[str]]  # catalogue ids covered by each run-time family
    stale_families: list[Family]  # families whose file no longer builds them

    def failed(self, strict_unused: bool) -> bool:
        return bool(any(self.missing.values()) or (strict_unused and (self.unused or self.stale_families)))


# In Python, t/_/gettext/translate/N_ count only when called by name (``self.t("x")`` in a page module is a helper
# that adds a prefix: a run-time family); the errors and translate also as attributes (``errors.Conflict("x")``).
_BARE_ONLY = frozenset({"t", "_", "gettext", "N_"})


def _literal_ids(node: ast.expr) -> Iterator[str]:
    """The string literals an id argument can evaluate to: ``"a"``, ``"a" if c else "b"``, ``x or "a"``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _literal_ids(node.body)
        yield from _literal_ids(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _literal_ids(value)


def _id_argument(node: ast.AST, keywords: Mapping[str, object]) -> ast.expr | None:
    """The expression that holds a message id in ``node``: the first argument of a keyword call, or the value of an
    error class's ``default_code`` (chalicelib.errors.AppError.default_code is a message id)."""
    if isinstance(node, ast.Assign):
        named = any(isinstance(target, ast.Name) and target.id == "default_code" for target in node.targets)
        return node.value if named else None
    if not isinstance(node, ast.Call) or not node.args:
        return None
    function = node.func
    if isinstance(function, ast.Name):
        name = function.id
    elif isinstance(function, ast.Attribute) and function.attr not in _BARE_ONLY:
        name = function.attr
    else:
        return None
    return node.args[0] if name in KEYWORDS or name in keywords else None


def extract_python(fileobj: IO[bytes], keywords: Mapping[str, object], comment_tags: object, options: object):
    """A Babel extractor for Python (babel.cfg names it): the literal first argument of each keyword call, each
    branch of a conditional on its own (Babel's own extractor joins ``"a" if c else "b"`` into ``"ab"``); f-strings
    and computed ids are not literals and are skipped."""
    for node in ast.walk(ast.parse(fileobj.read())):
        argument = _id_argument(node, keywords)
        if argument is not None:
            for message in _literal_ids(argument):
                yield getattr(node, "lineno", 0), None, message, []


def _template_ids(node: Any) -> Iterator[str]:
    from jinja2 import nodes

    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, nodes.CondExpr):
        yield from _template_ids(node.expr1)
        yield from _template_ids(node.expr2)
    elif isinstance(node, nodes.Or | nodes.And):
        yield from _template_ids(node.left)
        yield from _template_ids(node.right)


def extract_jinja(fileobj: IO[bytes], keywords: Mapping[str, object], comment_tags: object, options: object):
    """A Babel extractor for the templates (babel.cfg names it): the literal first argument of ``t(...)``,
    ``_(...)`` and ``{% trans %}``, each branch of ``t('a' if c else 'b')`` on its own (Jinja's own extractor
    skips such a call); ``t('x.' ~ kind)`` is not a literal and is skipped."""
    import jinja2
    from jinja2 import nodes

    environment = jinja2.Environment(extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    tree = environment.parse(fileobj.read().decode("utf-8"))
    for call in tree.find_all(nodes.Call):
        name = call.node.name if isinstance(call.node, nodes.Name) else None
        if (name in KEYWORDS or name in keywords) and call.args:
            for message in _template_ids(call.args[0]):
                yield call.lineno, None, message, []


def used_ids(source: Path = SOURCE, mapping: Path = MAPPING) -> set[str]:
    """Every message id written as a literal in the code and templates under ``source``."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with mapping.open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    # The mapping's patterns are relative to the repository root; extraction walks chalicelib/ only.
    prefix = source.relative_to(ROOT).as_posix() + "/" if source.is_relative_to(ROOT) else ""
    method_map = [(pattern.removeprefix(prefix), method) for pattern, method in method_map]
    options_map = {pattern.removeprefix(prefix): options for pattern, options in options_map.items()}
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(source), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        first = message[0] if isinstance(message, tuple) else message
        if first:
            found.add(first)
    return found


def read_catalogue(path: Path) -> dict[str, str]:
    from babel.messages.pofile import read_po

    with path.open("rb") as po:
        return {message.id: message.string for message in read_po(po) if message.id and isinstance(message.id, str)}


def read_families(path: Path = RUNTIME_IDS) -> list[Family]:
    families = []
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        text = line.split("#", 1)[0].strip()
        if text:
            prefix, built_in = text.split()
            families.append(Family(prefix, built_in))
    return families


def family_is_built(family: Family, root: Path = ROOT) -> bool:
    """Whether the family's file still names its prefix (in Python ``"x.``/``f"x.``, in a template ``'x.``)."""
    path = root / family.path
    return path.exists() and family.prefix in path.read_text(encoding="utf-8")


def compare(
    used: set[str], catalogues: Mapping[str, Mapping[str, str]], families: Iterable[Family], root: Path = ROOT
) -> Report:
    families = list(families)
    known = set().union(*(set(messages) for messages in catalogues.values()))
    missing = {
        locale: sorted(key for key in used | known if not messages.get(key)) for locale, messages in catalogues.items()
    }
    runtime: dict[Family, list[str]] = {family: [] for family in families}
    unused = []
    for key in sorted(known - used):
        covering = max((f for f in families if key.startswith(f.prefix)), key=lambda f: len(f.prefix), default=None)
        if covering is None:
            unused.append(key)
        else:
            runtime[covering].append(key)
    stale = [family for family in families if not family_is_built(family, root)]
    return Report(missing, unused, runtime, stale)


def compiled(po_path: Path) -> bytes:
    """What ``po_path`` compiles to (Babel's .mo writer: messages sorted, so the same .po gives the same bytes)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as po:
        catalog = read_po(po)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def stale_compiled(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    stale = []
    for locale in LOCALES:
        po = locale_dir / locale / "LC_MESSAGES" / "messages.po"
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compiled(po):
            stale.append(mo)
    return stale


def compile_all(locale_dir: Path = LOCALE_DIR) -> None:
    for locale in LOCALES:
        po = locale_dir / locale / "LC_MESSAGES" / "messages.po"
        po.with_suffix(".mo").write_bytes(compiled(po))


_BRACE_FIELD = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:[:!][^{}]*)?\}")


def add_message(key: str, texts: Mapping[str, str], locale_dir: Path = LOCALE_DIR) -> None:
    """Append one message to the end of every catalogue (``texts``: locale -> text), then compile them."""
    from babel.messages.pofile import escape

    paths = {locale: locale_dir / locale / "LC_MESSAGES" / "messages.po" for locale in LOCALES}
    for locale, path in paths.items():
        if not texts.get(locale):
            raise ValueError(f"{key}: no {locale} text")
        if key in read_catalogue(path):
            raise ValueError(f"{key} is already in {path}")
    flags = "#, python-brace-format\n" if any(_BRACE_FIELD.search(text) for text in texts.values()) else ""
    for locale, path in paths.items():
        separator = "" if path.read_text(encoding="utf-8").endswith("\n\n") else "\n"
        with path.open("a", encoding="utf-8") as po:
            po.write(f"{separator}{flags}msgid {escape(key)}\nmsgstr {escape(texts[locale])}\n")
    compile_all(locale_dir)


def print_report(report: Report, strict_unused: bool, stale_mo: list[Path]) -> None:
    for locale, keys in report.missing.items():
        print(f"missing or untranslated in {locale}: {len(keys)}")
        for key in keys:
            print(f"  {key}")
    covered = sum(len(keys) for keys in report.runtime.values())
    print(f"built at run time (chalicelib/locale/runtime_ids.txt, {len(report.runtime)} families): {covered}")
    for family, keys in report.runtime.items():
        print(f"  {family.prefix + '*':42} {len(keys):4d}  {family.path}")
    print(f"unused{' (failing: --strict-unused)' if strict_unused else ''}: {len(report.unused)}")
    for key in report.unused:
        print(f"  {key}")
    for family in report.stale_families:
        print(f"stale run-time family: {family.path} no longer builds {family.prefix!r}: remove it from the list")
    for path in stale_mo:
        print(f"stale: {path.relative_to(ROOT)} (run python -m devtools.check_messages --compile)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strict-unused", action="store_true", help="fail on unused ids outside run-time families")
    parser.add_argument("--compile", action="store_true", help="compile the .po catalogues to .mo and stop")
    parser.add_argument("--add", metavar="ID", help="add a message to both catalogues (with --zh and --en), compile")
    parser.add_argument("--zh", help="the Chinese text of --add")
    parser.add_argument("--en", help="the English text of --add")
    args = parser.parse_args(argv)
    if args.add:
        try:
            add_message(args.add, {"zh_CN": args.zh or "", "en": args.en or ""})
        except ValueError as problem:
            parser.error(str(problem))
        return 0
    if args.compile:
        compile_all()
        return 0
    catalogues = {locale: read_catalogue(LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po") for locale in LOCALES}
    report = compare(used_ids(), catalogues, read_families())
    stale_mo = stale_compiled()
    print_report(report, args.strict_unused, stale_mo)
    return 1 if report.failed(args.strict_unused) or stale_mo else 0


if __name__ == "__main__":
    sys.exit(main())
