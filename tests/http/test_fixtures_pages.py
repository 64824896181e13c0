"""A tournament day's pages through the test client (issue 18 item 2): the court board's now and next at a fixed
clock, a Chinese court name in the address, an entry's fixtures in time order, the printable order of play per
court, a member's own next match as a team's player on "my registrations", and what the public may see of an
unpublished competition; zh and en. The cup is set up and drawn through the services; its matches are put on
courts at times through the storage, as the demo loader does."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from urllib.parse import quote

import pytest

from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.records import EntryType, EventFormat, EventKind, TeamRule
from chalicelib.services import competition as competition_service
from chalicelib.services import competition_officials
from chalicelib.services import teams as team_service
from chalicelib.storage import get_store
from chalicelib.web import fixtures_pages
from tests.http.browsing import get_page
from tests.http.test_competition_api import _event, _organiser, _spare

WIN = [[21, 10], [21, 12]]
LOSS = [[10, 21], [12, 21]]
CUP = [
    {"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "name_en": "Groups", "groups": 1, "qualifiers": 2},
    {"stage_id": "ko", "kind": "single_elimination", "name_zh": "决赛", "name_en": "Final"},
]
ONE, TWO = "1号场", "2号场"
UNITS = ("cs", "mech", "ee", "math")


def _html(response) -> str:
    return unescape(response.body.decode())


def _section(html: str, css_class: str) -> str:
    """The text inside the first ``<div class="{css_class}">`` … up to the next board section."""
    found = re.search(rf'<div class="{css_class}">(.*?)(?=<div class="(?:now|next|last)">|</section>)', html, re.S)
    assert found, css_class
    return re.sub(r"<[^>]+>", " ", found.group(1))


@pytest.fixture(scope="module")
def cup(demo_union, callers):
    """A team cup of four units' teams (the demo member plays for 计算机学院), drawn into one group of four, its six
    matches on two courts an hour apart from the event's start, and a final still waiting for its sides."""
    event_id = _event(callers, "羽毛球团体赛（场地屏）", EventKind.SPORTS, EventFormat.TOURNAMENT, [],
                      entry_type=EntryType.TEAM, team_rule=TeamRule(min_size=1, max_size=3))  # fmt: skip
    store, organiser = get_store(), _organiser(callers)
    event = store.events.get(event_id)
    assert event is not None
    teams = {}
    for unit in UNITS:
        roster = [_spare(demo_union, callers, unit)[-1].staff_no]
        if unit == "cs":
            roster.append(callers["member"].staff_no)
        teams[unit] = team_service.enter_team(store, organiser, event, unit, f"{unit}队", roster, None, now())
    setup = {"match_format": "badminton_mixed_3", "tiebreak": "badminton_team", "stages": CUP}
    competition_service.configure(store, organiser, event_id, setup, now())
    competition_service.draw(store, organiser, event_id, "groups", now())
    state = competition_service.view(store, organiser, event_id)
    start = event.starts_at.astimezone(CHINA_TZ).replace(second=0, microsecond=0)
    for stage_id, courts in (("groups", (ONE, TWO)), ("ko", (ONE,))):
        matches = state.stage_matches(stage_id)
        placed = [
            m._replace(
                court=courts[i % len(courts)],
                starts_at=(start + timedelta(hours=i // 2 + (3 if stage_id == "ko" else 0))).isoformat(),
            )
            for i, m in enumerate(matches)
        ]
        draw_id = state.competition.run(stage_id).draw_id
        if placed:
            store.competitions.put_matches(event_id, stage_id, draw_id or "", placed, now())
    return {"event_id": event_id, "start": start, "teams": teams, "organiser": organiser}


def _at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(fixtures_pages, "now", lambda: moment)


def _matches(cup, stage_id: str = "groups"):
    return competition_service.view(get_store(), cup["organiser"], cup["event_id"]).stage_matches(stage_id)


def _board(client, cup, court: str | None = None, caller=None, lang: str = "zh"):
    tail = f"/board/{quote(court, safe='')}" if court else "/board"
    return get_page(client, f"/events/{cup['event_id']}/competition{tail}?lang={lang}", caller)


def test_an_unpublished_competition_is_hidden_from_the_public_and_shown_to_its_organisers(client, callers, cup):
    event_id = cup["event_id"]
    for path in ("/board", f"/board/{quote(ONE)}", "/order-of-play", f"/entries/{cup['teams']['cs'].team_id}"):
        hidden = get_page(client, f"/events/{event_id}/competition{path}")
        assert hidden.status_code == 404, path
        assert "赛程与成绩尚未公布" in _html(hidden)
        shown = get_page(client, f"/events/{event_id}/competition{path}", callers["unit_admin"])
        assert shown.status_code == 200, (path, shown.body[:300])
        assert "未发布" in _html(shown)
    competition_service.publish(get_store(), cup["organiser"], event_id, True, now())
    assert get_page(client, f"/events/{event_id}/competition/board").status_code == 200


def test_the_court_board_shows_now_and_next_at_a_fixed_clock(client, cup, monkeypatch):
    start = cup["start"]
    first, _, third, _, fifth, _ = _matches(cup)  # 1号场: first, third, fifth; 2号场: the others
    names = {team.team_id: team.name for team in cup["teams"].values()}

    _at(monkeypatch, start - timedelta(minutes=20))
    before = _html(_board(client, cup, ONE))
    assert "暂无比赛" in _section(before, "now")
    assert names[first.home.entry] in _section(before, "next") and names[third.home.entry] in _section(before, "next")

    _at(monkeypatch, start + timedelta(minutes=10))
    page = _board(client, cup, ONE)
    assert page.status_code == 200
    html = _html(page)
    assert '<meta http-equiv="refresh" content="30">' in html
    now_playing, following = _section(html, "now"), _section(html, "next")
    assert names[first.home.entry] in now_playing and names[first.away.entry] in now_playing
    assert start.strftime("%H:%M") in now_playing and "小组赛" in now_playing
    assert names[third.home.entry] in following and third.match_id in following and fifth.match_id in following
    assert first.match_id not in following

    # Played: the court is free until the next start, and its result is the last one.
    competition_service.enter_result(get_store(), cup["organiser"], cup["event_id"], "groups", first.match_id,
                                     {"rubbers": [{"games": WIN}, {"games": LOSS}, {"games": WIN}]}, now())  # fmt: skip
    html = _html(_board(client, cup, ONE))
    assert "暂无比赛" in _section(html, "now")
    assert "2–1" in _section(html, "last")
    _at(monkeypatch, start + timedelta(minutes=65))
    html = _html(_board(client, cup, ONE, lang="en"))
    assert "Now playing" in html and third.match_id in _section(html, "now")
    assert "Groups" in _section(html, "now") and fifth.match_id in _section(html, "next")


def test_every_court_on_one_screen_and_a_link_to_each(client, cup, monkeypatch):
    _at(monkeypatch, cup["start"] + timedelta(minutes=10))
    html = _html(_board(client, cup))
    assert "全部场地" in html
    assert html.index(f">{ONE}</a>") < html.index(f">{TWO}</a>")
    assert f'href="/events/{cup["event_id"]}/competition/board/{quote(ONE, safe="")}"' in html


def test_an_unknown_court_is_a_friendly_404(client, cup):
    missing = _board(client, cup, "9号场")
    assert missing.status_code == 404
    assert "没有这个场地的比赛" in _html(missing)
    assert "No match is on this court" in _html(_board(client, cup, "9号场", lang="en"))
    too_long = get_page(client, f"/events/{cup['event_id']}/competition/board/{'x' * 161}")
    assert too_long.status_code == 404


def test_a_teams_fixtures_in_time_order_with_opponents_courts_and_results(client, cup):
    cs = cup["teams"]["cs"]
    page = get_page(client, f"/events/{cup['event_id']}/competition/entries/{cs.team_id}")
    assert page.status_code == 200
    html = _html(page)
    mine = [m for m in _matches(cup) if cs.team_id in m.entries]
    assert len(mine) == 3
    ordered = sorted(mine, key=lambda m: m.starts_at)
    positions = [html.index(f"· {m.match_id}<") for m in ordered]
    assert positions == sorted(positions)
    opponent = ordered[0].away.entry if ordered[0].home.entry == cs.team_id else ordered[0].home.entry
    assert f'/competition/entries/{opponent}"' in html
    assert "cs队" in html and ordered[0].court in html
    english = _html(get_page(client, f"/events/{cup['event_id']}/competition/entries/{cs.team_id}?lang=en"))
    assert "Fixtures and results" in english and "Against" in english
    unknown = get_page(client, f"/events/{cup['event_id']}/competition/entries/tm-nobody")
    assert unknown.status_code == 404


def test_the_public_page_links_each_team_to_its_fixtures(client, cup):
    html = _html(get_page(client, f"/events/{cup['event_id']}/competition"))
    for team in cup["teams"].values():
        assert f'href="/events/{cup["event_id"]}/competition/entries/{team.team_id}"' in html
    assert f'/events/{cup["event_id"]}/competition/board"' in html
    assert f'/events/{cup["event_id"]}/competition/order-of-play"' in html


def test_the_order_of_play_per_court_for_print(client, cup):
    page = get_page(client, f"/events/{cup['event_id']}/competition/order-of-play")
    assert page.status_code == 200
    html = _html(page)
    assert "比赛秩序表" in html and "裁判" in html
    sheets = re.findall(r'<section class="sheet"', html)
    assert len(sheets) == 2
    assert html.index(ONE + "</h2>") < html.index(TWO + "</h2>")
    one_court = _html(
        get_page(client, f"/events/{cup['event_id']}/competition/order-of-play?court={quote(TWO)}&lang=en")
    )
    assert len(re.findall(r'<section class="sheet"', one_court)) == 1
    assert "Order of play" in one_court and "Referee" in one_court
    assert "fixtures" in re.search(r'href="(/static/fixtures[^"]+)"', one_court).group(1)
    assert get_page(client, f"/events/{cup['event_id']}/competition/order-of-play?court=9号场").status_code == 404


def test_a_member_sees_their_teams_next_match_on_their_registrations(client, callers, cup):
    cs = cup["teams"]["cs"]
    nxt = next(m for m in sorted(_matches(cup), key=lambda m: m.starts_at)
               if cs.team_id in m.entries and m.result is None)  # fmt: skip
    opponent = cup["teams"][next(u for u, t in cup["teams"].items() if t.team_id in nxt.entries and t is not cs)]
    html = _html(get_page(client, "/me/registrations", callers["member"]))
    line = re.search(r"下一场：[^<]*", html)
    assert line, html[:2000]
    assert nxt.court in line.group(0) and opponent.name in line.group(0)
    assert f'/competition/entries/{cs.team_id}"' in html
    english = _html(get_page(client, "/me/registrations?lang=en", callers["member"]))
    assert re.search(r"Next: [^<]*" + re.escape(opponent.name), english)


def test_my_registrations_reads_one_competition_per_tournament_the_member_plays_in(client, callers, cup):
    from chalicelib.domain.access import Principal
    from chalicelib.domain.records import COMPETITION_FORMATS, RegistrationState
    from chalicelib.domain.records import EventFormat as Format
    from chalicelib.services import event_views
    from tests.round_trips import round_trips

    member = callers["member"]
    principal = Principal(staff_no=member.staff_no, unit_id="cs")
    at = now()
    competing = (RegistrationState.CONFIRMED, RegistrationState.TEAM)
    playing = {
        view.event.event_id
        for view in event_views.my_registrations(get_store(), principal, (), at)
        if view.event.format is Format.TOURNAMENT and view.event.ends_at >= at and view.registration.state in competing
    }
    assert cup["event_id"] in playing
    # And one per competition event over (a tournament, meet or contest): where they won, a link to the certificate.
    over = {
        view.event.event_id
        for view in event_views.my_registrations(get_store(), principal, (), at)
        if view.event.format in COMPETITION_FORMATS and view.event.ends_at < at
    }
    # And one per skill contest of theirs (issue 19 item 7): the contest events they are entered in.
    contests = {
        view.event.event_id
        for view in event_views.my_registrations(get_store(), principal, (), at)
        if view.event.format is Format.CONTEST
    }
    reads = len(playing | over) + len(contests)
    # A registration a unit admin entered names them: one member read per such person.
    adders = {
        view.registration.added_by
        for view in event_views.my_registrations(get_store(), principal, (), at)
        if view.registration.added_by and view.registration.added_by != member.staff_no
    }
    get_page(client, "/me/registrations", member)  # warm: the per-container caches filled
    with round_trips() as calls:
        page = get_page(client, "/me/registrations", member)
    assert page.status_code == 200
    sent = list(zip(calls.operations, calls.tables, strict=True))
    # What the page read before (registrations, events, teams, member, attendance) and one competition per event.
    assert [op for op, table in sent if table == "competitions"] == ["Query"] * reads, sent
    # A skill contest is judged: loading it also reads its judges (one event_roles Query each).
    assert [op for op, table in sent if table == "event_roles"] == ["Query"] * len(contests), sent
    assert [op for op, table in sent if table == "members"] == ["GetItem"] * len(adders), sent
    # The rest: one Query of registrations, the events and teams in one read each, attendance in batches of keys
    # (how many batches depends on how many of the member's sessions the day's window covers).
    # The navigation's unread count (issue 20): the member's seen marker and one COUNT of what is newer.
    assert [pair for pair in sent if pair[1] in {"member_prefs", "notifications"}] == [
        ("GetItem", "member_prefs"),
        ("Query", "notifications"),
    ], sent
    named = {"competitions", "event_roles", "members", "member_prefs", "notifications"}
    rest = [(op, table) for op, table in sent if table not in named]
    assert [pair for pair in rest if pair[1] != "attendance"] == [
        ("Query", "registrations"),
        ("BatchGetItem", "events"),
        ("GetItem", "teams"),
    ], sent
    assert {op for op, table in rest if table == "attendance"} == {"BatchGetItem"}, sent
    print(f"/me/registrations round trips: {len(sent)} ({len(playing)} competition reads): {sent}")


def test_the_order_of_play_names_the_referee_the_timetable_gives(client, demo_union, callers):
    from chalicelib.services import schedule as schedule_service

    store, organiser = get_store(), _organiser(callers)
    players = [_spare(demo_union, callers, unit)[-2] for unit in ("cs", "mech", "ee", "math")]
    event_id = _event(callers, "乒乓球单打（裁判）", EventKind.SPORTS, EventFormat.TOURNAMENT, players)
    stages = [{"stage_id": "rr", "kind": "round_robin", "name_zh": "循环赛", "name_en": "Round robin"}]
    setup = {"match_format": "table_tennis", "tiebreak": "table_tennis", "stages": stages}
    competition_service.configure(store, organiser, event_id, setup, now())
    competition_service.draw(store, organiser, event_id, "rr", now())
    referees = [_spare(demo_union, callers, unit)[-2] for unit in ("law", "physics")]
    for referee in referees:
        competition_officials.name_official(store, organiser, event_id, referee.staff_no, "referee", now())
    start = store.events.get(event_id).starts_at.astimezone(CHINA_TZ).replace(minute=0, second=0, microsecond=0)
    venue = {"courts": [{"court_id": "t1", "name_zh": "1号台", "name_en": "Table 1"},
                        {"court_id": "t2", "name_zh": "2号台"}],
             "sessions": [{"start": start.isoformat(), "end": (start + timedelta(hours=6)).isoformat()}],
             "slot_minutes": 30, "referees": True}  # fmt: skip
    schedule_service.set_venue(store, organiser, event_id, venue, now())
    planned = schedule_service.auto_schedule(store, organiser, event_id, now())
    assert planned.unplaced == [] and all(row.referee for row in planned.rows)
    competition_service.publish(store, organiser, event_id, True, now())

    html = _html(get_page(client, f"/events/{event_id}/competition/order-of-play"))
    cells = re.findall(r'<td class="c-ref">([^<]*)</td>', html)
    assert len(cells) == 6 and set(cells) <= {referee.name for referee in referees} and all(cells), cells
    by_row = {row.match.match_id: row.referee_name for row in planned.rows}
    first = re.search(r'<td class="c-no">([^<]+)</td>.*?<td class="c-ref">([^<]*)</td>', html, re.S)
    assert first and by_row[first.group(1)] == first.group(2)
    assert html.index("1号台</h2>") < html.index("2号台</h2>")
    # English pages name a court by the venue's English name where it has one, as typed otherwise.
    english = _html(get_page(client, f"/events/{event_id}/competition/order-of-play?lang=en"))
    assert "Table 1</h2>" in english and "2号台</h2>" in english and "1号台</h2>" not in english
    board = _html(get_page(client, f"/events/{event_id}/competition/board?lang=en"))
    assert f'href="/events/{event_id}/competition/board/{quote("1号台", safe="")}">Table 1</a>' in board
