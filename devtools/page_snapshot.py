"""Render the demo union's pages, as each kind of person sees them in both languages, into a folder of files.

Used to show that a refactoring changed no page (issue 16): take a snapshot before, one after, and compare::

    python -m devtools.page_snapshot /tmp/pages-before
    python -m devtools.page_snapshot /tmp/pages-after --compare /tmp/pages-before

The clock is frozen at one instant (every ``now`` taken from ``chalicelib.domain.calendar``), the demo is loaded for
that day through the services (devtools.demo.loader) into a DynamoDB Local of its own, and pages are found by
following links from a few starting pages, in a fixed order, as the anonymous visitor, a member, a unit admin and the
union admin. What differs from one run to the next by design (session tokens, CSRF tokens, request ids) is replaced
by a placeholder before writing.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import re
import sys
from collections.abc import Callable, Hashable, Iterator
from datetime import datetime
from pathlib import Path

from devtools import dynamodb_local

ROOT = Path(__file__).resolve().parent.parent
STARTS = (
    "/",
    "/events",
    "/events?open=1",
    "/me/registrations",
    "/me/notifications",
    "/admin/events",
    "/admin",
    "/admin/units",
)
SKIPPED = re.compile(r"^/(static|signout|api/|favicon)")
LINK = re.compile(r"""href="(/[^"#]*)""")
# Values that are new on every run by design; anything else that differs between two runs is a real difference.
VOLATILE = (
    (re.compile(r'(name="csrf[^"]*" value=")[^"]+'), r"\1~"),
    (re.compile(r'(name="_csrf" value=")[^"]+'), r"\1~"),
    (re.compile(r"(data-csrf=\")[^\"]+"), r"\1~"),
    (re.compile(r"(reference|编号) [0-9a-f-]{8,}"), r"\1 ~"),
    (re.compile(r"<code>[0-9a-f]{32}</code>"), "<code>~</code>"),
    # Tickets are random (domain.checkin.new_ticket), and so are their QR codes.
    (re.compile(r'(<svg class="qr"[^>]*>).*?</svg>', re.S), r"\1~</svg>"),
    (re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+"), "data:image/png;base64,~"),
)
PEOPLE = {
    "anonymous": None,
    "member": "member",
    "unit_admin": "计算机学院)",
    "union_admin": "union admin",
}
PAGES_PER_PERSON = 600
# Enough of each kind of page (one event's many members, say) to see its variants, not all of them.
PAGES_PER_SHAPE = 25
FROZEN = datetime(2026, 12, 7, 10, 0)


def _freeze_clock() -> None:
    """Every module's ``now`` (imported by name from the calendar module) returns the same instant."""
    import importlib
    import pkgutil

    import chalicelib
    from chalicelib.domain import calendar

    for module in pkgutil.walk_packages(chalicelib.__path__, "chalicelib."):
        importlib.import_module(module.name)
    real_now = calendar.now
    frozen = FROZEN.replace(tzinfo=calendar.CHINA_TZ)

    def frozen_now() -> datetime:
        return frozen

    for module in list(sys.modules.values()):
        if getattr(module, "now", None) is real_now:
            module.now = frozen_now  # type: ignore[attr-defined]


def _normalised(body: str) -> str:
    for pattern, replacement in VOLATILE:
        body = pattern.sub(replacement, body)
    return body


def links(body: str) -> list[str]:
    """The site's pages a page links to (``href="/..."``), without the language switch, static files, the API and
    sign-out."""
    found = []
    for raw in LINK.findall(body):
        path = html.unescape(raw)
        path = re.sub(r"[?&]lang=(zh|en)$", "", path)
        if not SKIPPED.match(path):
            found.append(path)
    return found


def _shape(path: str) -> str:
    """The route a path belongs to, roughly: segments with a digit in them are ids."""
    return "/".join("{}" if re.search(r"\d", part) else part for part in path.split("?")[0].split("/"))


def crawl(
    client,
    headers: dict[str, str],
    *,
    starts: tuple[str, ...] = STARTS,
    shape: Callable[[str], Hashable] = _shape,
    per_shape: int = PAGES_PER_SHAPE,
    limit: int = PAGES_PER_PERSON,
) -> Iterator[tuple[str, int, str, bytes]]:
    """Every page reached by following links from ``starts``, breadth first, as the caller ``headers`` name: at most
    ``per_shape`` pages of one ``shape`` and ``limit`` pages in all; (path, status, content type, body) each.
    Also used by tests/http/test_reachable_pages.py (which pages a person reaches by clicking)."""
    queue, seen, fetched = list(starts), set(starts), 0
    counts: dict[Hashable, int] = {}
    while queue and fetched < limit:
        path = queue.pop(0)
        kind = shape(path)
        counts[kind] = counts.get(kind, 0) + 1
        if counts[kind] > per_shape:
            continue
        fetched += 1
        response = client.http.get(path, headers=headers)
        content_type = response.headers.get("Content-Type", "")
        yield path, response.status_code, content_type, response.body
        if "html" in content_type:
            for link in links(response.body.decode()):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)


def _file_name(person: str, language: str, path: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", path.strip("/")) or "index"
    digest = hashlib.sha256(path.encode()).hexdigest()[:8]
    return f"{person}/{language}/{safe[:80]}-{digest}"


def snapshot(out: Path) -> int:
    from chalice.test import Client

    from chalicelib.storage import get_store
    from devtools.tables import use_database, use_local_credentials

    use_local_credentials()
    _freeze_clock()
    from app import app
    from chalicelib.domain.calendar import now
    from chalicelib.services.accounts import sign_in
    from devtools.demo.loader import load_demo

    written = 0
    with dynamodb_local.running(dynamodb_local.free_port()) as server:
        settings = use_database(server.endpoint, "union-events-snap-")
        today = now().date()
        union = load_demo(get_store(), settings, today)
        with Client(app, stage_name="test", project_dir=str(ROOT)) as client:
            for person, role in PEOPLE.items():
                token = None
                if role is not None:
                    account = next(a for a in union.accounts if role in a.role)
                    token = sign_in(get_store(), settings, account.staff_no, account.password, "10.0.0.9").token
                for language in ("zh", "en"):
                    headers = {"Cookie": f"lang={language}"}
                    if token:
                        headers["Authorization"] = f"Bearer {token}"
                    index = []
                    for path, status, content_type, body in crawl(client, headers):
                        name = _file_name(person, language, path)
                        target = out / name
                        target.parent.mkdir(parents=True, exist_ok=True)
                        if "html" in content_type or "csv" in content_type or "json" in content_type:
                            target.write_text(_normalised(body.decode()))
                        else:
                            target.write_text(f"{content_type} {len(body)} bytes\n")
                        index.append(f"{status} {path} {name}")
                        written += 1
                    (out / person / language / "INDEX").write_text("\n".join(index) + "\n")
    return written


def compare(out: Path, base: Path) -> list[str]:
    """Files that differ, are new or are missing in ``out`` against ``base``."""
    ours = {p.relative_to(out) for p in out.rglob("*") if p.is_file()}
    theirs = {p.relative_to(base) for p in base.rglob("*") if p.is_file()}
    differences = [f"missing {p}" for p in sorted(theirs - ours)] + [f"new {p}" for p in sorted(ours - theirs)]
    differences += [f"differs {p}" for p in sorted(ours & theirs) if (out / p).read_bytes() != (base / p).read_bytes()]
    return differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the pages into (emptied first)")
    parser.add_argument("--compare", type=Path, help="a snapshot to compare with; exit 1 when any page differs")
    args = parser.parse_args(argv)
    if args.out.exists():
        import shutil

        shutil.rmtree(args.out)
    written = snapshot(args.out)
    print(f"{written} pages written to {args.out}")
    if args.compare:
        differences = compare(args.out, args.compare)
        print("\n".join(differences) or "no differences")
        return 1 if differences else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
