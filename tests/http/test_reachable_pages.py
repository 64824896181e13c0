"""Every page a person needs is reachable by clicking (issue 18 item 9): starting from the home page as the anonymous
visitor, the demo member (who also referees the cup and judges the singer final), the computer science unit's admin
and the union admin, the crawler of devtools/page_snapshot.py follows links (and collects images' sources and GET
forms' actions), each path is matched to the route table's templates, and every GET page route must have been
linked from somewhere, except the short list below, each entry with its reason.

To keep it quick (about 450 pages, 30-40 s on a busy two-core machine), a route is opened at most twice per kind of
event (its format, allocation and entry type: a tournament's pages link what a lecture's do not) and at most twice
otherwise; once is not enough (the venue code page is linked only from an event with self check-in)."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Hashable

import pytest

from chalicelib.route_table import ROUTES
from devtools.page_snapshot import crawl

# Routes a person does not reach by clicking a link, and why. Keep it short: anything else must be linked.
REACHED_OTHERWISE = {
    "/t/{ticket}": "a member's ticket QR code, opened by the station's scanner or a phone camera",
    "/v/{code}": "the venue's self check-in QR code, shown on a projector and scanned with a phone camera",
    "/checkin-sw.js": "the check-in station's service worker script, registered by the station page's script",
    "/static/{asset}": "stylesheets and scripts under a content hash, not a page",
    "/admin/events/{event_id}/checkin/venue.svg": "the venue code's image, fetched by the venue page's script"
    " (data-svg-url) each time the code changes",
    "/calendar/{feed}": "a member's calendar subscription, read by calendar apps from the link made on /me/calendar"
    " (shown once, in a text box to copy and as a webcal:// link)",
    "/signin/cas": "the campus CAS sign-in: its button on /signin shows only when CAS_BASE_URL is set, which the"
    " demo is not (tests/http/test_cas_pages.py follows the button)",
    "/signin/wecom": "the 企业微信 sign-in: its button on /signin shows only when WECOM_* are set, which the demo is"
    " not, and pages opened inside 企业微信 go there by themselves (tests/http/test_wecom_signin_pages.py)",
    "/admin/events/{event_id}": "the short address of the organiser's hub for people who type it (it redirects to"
    " /edit, which every link names)",
}
STARTS = ("/",)
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PER_SHAPE = 2  # pages of one route for one kind of event (or of a route without an event)
PEOPLE = ("anonymous", "member", "unit_admin", "union_admin")
_HREFS = re.compile(r"""href="(/[^"#]*)""")
_SOURCES = re.compile(r"""<img[^>]+src="(/[^"#]*)""")
_GET_FORMS = re.compile(r"""<form(?![^>]*method="post")[^>]*action="(/[^"#]*)""", re.I)


def _page_routes() -> list[str]:
    return sorted({r.route for r in ROUTES if r.prefix == "" and r.method == "GET"})


def _matchers(templates: list[str]) -> list[tuple[re.Pattern[str], str, int]]:
    """Each template as a pattern, with its count of literal segments (the most literal match wins: /events/archive
    before /events/{event_id})."""
    found = []
    for template in templates:
        parts = template.strip("/").split("/") if template != "/" else []
        pattern = "/" + "/".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
        literal = sum(not p.startswith("{") for p in parts)
        found.append((re.compile(f"^{pattern}$"), template, literal))
    return found


MATCHERS = _matchers(_page_routes())


def route_of(path: str) -> str | None:
    bare = path.split("?", 1)[0].split("#", 1)[0] or "/"
    candidates = [(literal, template) for pattern, template, literal in MATCHERS if pattern.match(bare)]
    return max(candidates)[1] if candidates else None


def _profile_of(demo_union):
    kinds = {e.event_id: (e.format.value, e.allocation.value, e.entry_type.value) for e in demo_union.events}

    def shape(path: str) -> Hashable:
        route = route_of(path)
        found = re.search(r"/(ev-[A-Za-z0-9]+)", path)
        return (route or path.split("?")[0], kinds.get(found.group(1)) if found else None)

    return shape


def _linked(body: str) -> set[str]:
    text = html.unescape(body)
    return set(_HREFS.findall(text)) | set(_SOURCES.findall(text)) | set(_GET_FORMS.findall(text))


@pytest.fixture(scope="module")
def reached(client, demo_union, callers) -> dict[str, set[str]]:
    """Route template -> the people who reached it by a link; also the pages that answered an error."""
    started = time.monotonic()
    shape = _profile_of(demo_union)
    found: dict[str, set[str]] = {}
    broken: list[str] = []
    fetched = 0
    for person in PEOPLE:
        headers = {"Cookie": "lang=zh", "Accept": BROWSER_ACCEPT, **callers[person].headers()}
        for path, status, _type, body in crawl(
            client, headers, starts=STARTS, shape=shape, per_shape=PER_SHAPE, limit=600
        ):
            fetched += 1
            if status >= 500:
                broken.append(f"{person} {status} {path}")
            if "html" not in _type:
                continue
            for link in _linked(body.decode()):
                route = route_of(link)
                if route is not None:
                    found.setdefault(route, set()).add(person)
    found["__broken__"] = set(broken)
    print(f"crawled {fetched} pages in {time.monotonic() - started:.1f} s")
    return found


def test_every_page_route_is_reached_by_clicking_from_the_home_page(reached):
    unreachable = [r for r in _page_routes() if r not in reached and r not in REACHED_OTHERWISE]
    assert not unreachable, (
        "GET pages no link leads to from the home page (as the anonymous visitor, a member who referees and judges,"
        " a unit admin and the union admin): link each from where a person would look for it, or add it to"
        " REACHED_OTHERWISE with the reason:\n  " + "\n  ".join(unreachable)
    )


def test_the_allow_list_names_only_real_routes_that_no_link_reaches(reached):
    assert set(REACHED_OTHERWISE) <= set(_page_routes())
    assert not [r for r in REACHED_OTHERWISE if r in reached and r != "/static/{asset}"], "linked after all"


def test_no_page_reached_by_a_link_fails(reached):
    """A link may lead to a friendly 404 (a competition not published yet) or a 403, never to a server error."""
    assert not reached["__broken__"], "\n".join(sorted(reached["__broken__"]))


def test_route_matching_prefers_the_literal_route():
    assert route_of("/events/archive?year=2026") == "/events/archive"
    assert route_of("/events/ev-01J6NJV89079VVCN85WE2NGK18") == "/events/{event_id}"
    assert route_of("/admin/events/new") == "/admin/events/new"
    assert route_of("/api/events") is None
