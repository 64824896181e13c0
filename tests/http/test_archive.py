"""The archive of past events (issue 18 item 9) through the test client: the page /events/archive and
GET /api/events/archive over the demo union, filters, pagination, bad input, zh and en, and its DynamoDB round trips.

What each filter should keep is worked out here from the demo union's events in plain Python, not with the archive's
own rules."""

from __future__ import annotations

import json
from dataclasses import replace
from html import unescape
from urllib.parse import urlencode

import pytest

from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.event_rules import displayed_status
from chalicelib.domain.records import EventKind, EventStatus
from chalicelib.services.archive import QUERIES_PER_PAGE
from chalicelib.storage import get_store
from devtools.demo.history import read_history
from tests.factories import tournament
from tests.http.browsing import get_page
from tests.round_trips import round_trips

CUP = "ev-01J6NJV89079VVCN85WE2NGK18"


def _api(client, **params):
    return client.http.get("/api/events/archive?" + urlencode(params))


def _ok(client, **params) -> dict:
    response = _api(client, **params)
    assert response.status_code == 200, response.body.decode()
    return json.loads(response.body)


def _walk(client, **params) -> list[dict]:
    """Every page of a query, following next_cursor; each page no larger than asked."""
    rows, cursor, pages = [], None, 0
    while True:
        page = _ok(client, **params, **({"cursor": cursor} if cursor else {}))
        assert len(page["events"]) <= params.get("limit", 20)
        rows += page["events"]
        cursor, pages = page["next_cursor"], pages + 1
        if cursor is None:
            return rows
        assert pages < 100, "the cursor never ends"


def _cup_year(demo_union) -> int:
    return _year(next(e for e in demo_union.events if e.event_id == CUP))


def _year(event) -> int:
    return event.starts_at.astimezone(CHINA_TZ).year


@pytest.fixture(scope="module")
def demo(demo_union, organiser, demo_day):
    """The demo union with its history's events (devtools/demo/history.py: last year's and this year's), plus a
    draft of the cs unit this year that no archive query may show."""
    store = get_store()
    history = tuple(store.events.get(h.planned.event.event_id, consistent=True) for h in read_history(demo_day))
    assert history and all(history)
    draft = tournament(organiser, "档案测试草稿赛", publish=False)
    return replace(demo_union, events=demo_union.events + history), draft


def _listed(demo_union, year: int, **where):
    """The demo's listed events of ``year`` that pass ``where`` (plain Python), newest first."""
    found = [
        e
        for e in demo_union.events
        if e.status is not EventStatus.DRAFT and _year(e) == year and all(test(e) for test in where.values())
    ]
    return sorted(found, key=lambda e: e.starts_at, reverse=True)


def test_the_demo_cup_is_found_by_its_title_in_both_languages_with_its_results(client, demo):
    demo_union, _ = demo
    cup = next(e for e in demo_union.events if e.event_id == CUP)
    assert displayed_status(cup, now()) in (EventStatus.FINISHED, EventStatus.RUNNING)
    for words in ("园丁杯", "gardeners' CUP"):
        rows = _ok(client, year=_year(cup), q=words, status="all")["events"]
        assert [row["event_id"] for row in rows] == [CUP]
        assert rows[0]["results"] is True
    page = unescape(get_page(client, f"/events/archive?year={_year(cup)}&q=园丁杯&status=all").body.decode())
    assert f'href="/events/{CUP}"' in page and f'href="/events/{CUP}/competition"' in page
    english = unescape(
        get_page(client, f"/events/archive?year={_year(cup)}&q=Gardeners&status=all&lang=en").body.decode()
    )
    assert "Gardeners' Cup Staff Badminton Team Tournament" in english and "Results" in english
    assert "Past events" in english


def test_finished_is_the_default_and_every_page_of_a_year_comes_once_newest_first(client, demo):
    demo_union, draft = demo
    at = now()
    assert _ok(client) == _ok(client, year=at.astimezone(CHINA_TZ).year, status="finished", limit=20)
    year = _cup_year(demo_union)  # a year with finished events whatever the day the tests run
    expected = _listed(demo_union, year, finished=lambda e: displayed_status(e, at) is EventStatus.FINISHED)
    assert expected, "the demo union has finished events in the cup's year"
    rows = _walk(client, limit=2, year=year)
    assert [row["event_id"] for row in rows] == [e.event_id for e in expected]
    everything = _walk(client, limit=3, status="all", year=year)
    ids = [row["event_id"] for row in everything]
    assert len(ids) == len(set(ids)), "no event twice across pages"
    assert set(ids) == {e.event_id for e in _listed(demo_union, year)}, "no gaps across pages"
    assert draft.event_id not in ids
    starts = [row["starts_at"] for row in everything]
    assert starts == sorted(starts, reverse=True)


def test_filters_by_month_kind_format_unit_status_and_text(client, demo):
    demo_union, draft = demo
    cup = next(e for e in demo_union.events if e.event_id == CUP)
    year, month = _year(cup), cup.starts_at.astimezone(CHINA_TZ).month
    every = {"status": "all", "year": year, "limit": 4}

    def ids(**params):
        return [row["event_id"] for row in _walk(client, **{**every, **params})]

    def expected(**where):
        return [e.event_id for e in _listed(demo_union, year, **where)]

    in_month = expected(month=lambda e: e.starts_at.astimezone(CHINA_TZ).month == month)
    assert CUP in in_month and ids(month=month) == in_month
    sports = expected(kind=lambda e: e.kind is EventKind.SPORTS)
    assert sports and ids(kind="sports") == sports
    assert ids(kind="wellness") == expected(kind=lambda e: e.kind is EventKind.WELLNESS)
    assert ids(format="tournament") == expected(format=lambda e: e.format.value == "tournament")
    for unit in ("cs", "school"):
        owned = expected(unit=lambda e, unit=unit: e.owner_unit_id == unit)
        assert ids(unit_id=unit) == owned, unit
    assert draft.event_id not in ids(unit_id="cs")
    assert ids(unit_id="school", kind="sports", month=month) == expected(
        unit=lambda e: e.owner_unit_id == "school",
        kind=lambda e: e.kind is EventKind.SPORTS,
        month=lambda e: e.starts_at.astimezone(CHINA_TZ).month == month,
    )
    cancelled = expected(cancelled=lambda e: e.status is EventStatus.CANCELLED)
    assert ids(status="cancelled") == cancelled
    assert ids(q="羽毛球") == expected(text=lambda e: "羽毛球" in e.title_zh)
    assert ids(q="no such title anywhere") == []
    assert ids(year=year - 5) == []


def test_bad_query_values_are_a_400_in_json_and_a_friendly_page(client, demo):
    year = _cup_year(demo[0])
    other_year_cursor = _ok(client, year=year, status="all", limit=1)["next_cursor"]
    assert other_year_cursor
    bad = [
        {"year": "1999"},
        {"year": "soon"},
        {"month": "13"},
        {"kind": "chess"},
        {"format": "party"},
        {"status": "running"},
        {"limit": "0"},
        {"limit": "51"},
        {"q": "长" * 41},
        {"unit_id": "no-such-unit"},
        {"cursor": "not a cursor!"},
        {"cursor": "QUJD"},
        {"cursor": "x" * 121},
        {"year": str(year - 1), "cursor": other_year_cursor},
        {"sort": "oldest"},
    ]
    for params in bad:
        response = _api(client, **params)
        assert response.status_code == 400, params
        error = json.loads(response.body)["error"]
        assert error["code"] and error["message"], params
    english = _api(client, cursor="QUJD", lang="en")
    assert "not valid" in json.loads(english.body)["error"]["message"]
    for lang, words in (("zh", "翻页位置无效"), ("en", "That page position is not valid")):
        page = get_page(client, f"/events/archive?cursor=QUJD&lang={lang}")
        assert page.status_code == 400 and "text/html" in page.headers["Content-Type"]
        assert words in unescape(page.body.decode())
    month = get_page(client, "/events/archive?month=13")
    assert month.status_code == 400 and "text/html" in month.headers["Content-Type"]


def test_the_archive_is_linked_from_the_lists_and_the_home_pages(client, callers, demo):
    for path in ("/", "/events"):
        assert 'href="/events/archive"' in get_page(client, path).body.decode(), path
    assert 'href="/events/archive"' in get_page(client, "/admin", callers["unit_admin"]).body.decode()
    page = get_page(client, "/events/archive?status=all&limit=1")
    assert page.status_code == 200
    body = unescape(page.body.decode())
    assert "往期活动" in body and 'name="q"' in body


def test_a_page_of_the_archive_makes_a_bounded_number_of_round_trips(client, demo):
    """One page of a whole year: at most 12 index queries (each reading no more than the page still lacks), one
    BatchGetItem for the results links, and the units (a GetItem and a Query). docs/benchmarks.md quotes these."""
    year = _cup_year(demo[0])
    with round_trips() as calls:
        page = _ok(client, year=year, status="all")
    queries = [
        op for op, table in zip(calls.operations, calls.tables, strict=True) if op == "Query" and table == "events"
    ]
    assert page["events"]
    assert len(queries) <= QUERIES_PER_PAGE
    assert len(calls) <= QUERIES_PER_PAGE + 3, list(zip(calls.operations, calls.tables, strict=True))
    with round_trips() as filtered:
        _ok(client, year=year, status="all", q="no such title anywhere")
    assert len(filtered) <= QUERIES_PER_PAGE + 2, filtered.operations
    with round_trips() as unit:
        _ok(client, year=year, status="all", unit_id="school")
    owner_queries = [t for op, t in zip(unit.operations, unit.tables, strict=True) if op == "Query" and t == "events"]
    assert len(owner_queries) == 1, unit.operations
    print(f"archive page round trips: whole year {len(calls)} {calls.operations}; nothing matches {len(filtered)}")


def test_a_search_that_runs_out_of_queries_says_how_far_back_it_looked_and_goes_on(client, demo):
    """One row a page and words nothing matches: each page reads at most 12 events (12 queries of one), shows none,
    names the month it reached and links the next page, until the year is done."""
    year = _cup_year(demo[0])
    path = f"/events/archive?year={year}&status=all&q=no+such+title&limit=1"
    page = unescape(get_page(client, path).body.decode())
    assert "已查找到" in page and "更早的活动" in page and "没有符合条件的活动" in page
    english = unescape(get_page(client, path + "&lang=en").body.decode())
    assert "Searched back to" in english and "Older events" in english
    pages = 0
    cursor = ""
    while True:
        answer = _ok(
            client, year=year, status="all", q="no such title", limit=1, **({"cursor": cursor} if cursor else {})
        )
        assert answer["events"] == []
        pages += 1
        if not answer["next_cursor"]:
            break
        cursor = answer["next_cursor"]
    assert pages > 1
