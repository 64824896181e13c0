"""The organisers' schedule page (赛程编排) through the test client: the venue set through its form (bad input marked
on its fields, nothing written), scheduling the demo cup (every match on a court at a time, no conflicts) and a cup
of its own (groups then knockout), moving a match onto a clash and seeing it flagged, swapping two, locking one and
scheduling again (the locked one stays), a played match refused a move in words, who may not see the page, and the
links to it from the organiser hub and the competition page; zh and en."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.records import SCHOOL_UNIT_ID, EntryType, EventFormat, EventKind, MemberStatus
from chalicelib.services import competition as competition_service
from chalicelib.services import competition_officials
from chalicelib.services import schedule as schedule_service
from chalicelib.services import teams as team_service
from chalicelib.storage import get_store
from tests.factories import published_event
from tests.http.browsing import get_page, header, post_form

DEMO_CUP = "ev-01J6NJV89079VVCN85WE2NGK18"
WIN = {"rubbers": [{"games": [[21, 15], [21, 18]]}] * 2 + [None]}


def _html(response):
    text = unescape(response.body.decode())
    assert "competition.schedule." not in text  # every message id has its words
    return text


def _path(event_id, tail=""):
    return f"/admin/events/{event_id}/competition/schedule{tail}"


@pytest.fixture(scope="module")
def union_admin(callers):
    return Principal(staff_no=callers["union_admin"].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)


@pytest.fixture(scope="module")
def cup(client, callers, union_admin, demo_union):
    """A cs team cup of eight teams (one per unit) in two groups then a semi-final knockout, drawn, not played."""
    taken = {caller.staff_no for caller in callers.values()}
    spare: dict[str, list] = {}
    for member in demo_union.members:
        if member.status is MemberStatus.ACTIVE and member.staff_no not in taken:
            spare.setdefault(member.unit_id, []).append(member)
    fields = {"owner_unit_id": "cs", "kind": EventKind.SPORTS, "format": EventFormat.TOURNAMENT, "capacity": 32}
    event = published_event(union_admin, days=14, hours=8, title_zh="赛程编排杯", entry_type=EntryType.TEAM, **fields)
    names = {unit.unit_id: unit.short_name or unit.name_zh.removesuffix("分工会") for unit in demo_union.units}
    for unit in sorted(unit for unit in spare if unit != "cs")[:8]:
        team = f"{names[unit]}队"
        team_service.enter_team(get_store(), union_admin, event, unit, team, [spare[unit][0].staff_no], None, now())
    setup = {
        "action": "setup",
        "template": "groups_knockout",
        "match_format": "badminton_3",
        "tiebreak": "badminton_team",
        "gk_groups": "2",
        "gk_qualifiers": "2",
        "gk_legs": "1",
        "gk_third_place": "1",
    }
    admin = callers["unit_admin"]
    competition = f"/admin/events/{event.event_id}/competition"
    assert post_form(client, competition, admin, setup).status_code == 303
    assert post_form(client, competition, admin, {"action": "draw", "stage": "groups"}).status_code == 303
    return event


def _day(event):
    return event.starts_at.astimezone(CHINA_TZ).date().isoformat()


def _venue_form(event, **changes):
    form = {
        "action": "venue",
        "court_id": ["", "", "", ""],
        "court_name_zh": ["1号场", "2号场", "3号场", ""],
        "court_name_en": ["Court 1", "Court 2", "Court 3", ""],
        "session_day": [_day(event), _day(event)],
        "session_start": ["08:30", "13:30"],
        "session_end": ["12:00", "18:00"],
        "session_courts": ["", ""],
        "slot_minutes": "40",
        "slot_groups": "",
        "slot_knockout": "50",
        "rest_minutes": "20",
        "together": "1",
    }
    return {**form, **changes}


def _view(organiser, event_id):
    return schedule_service.timetable(get_store(), organiser, event_id)


def _rows(organiser, event_id):
    return {row.key: row for row in _view(organiser, event_id).rows}


def test_the_venue_is_set_through_its_form_and_bad_input_is_marked_with_nothing_written(
    client, callers, organiser, cup
):
    admin = callers["unit_admin"]
    page = _html(get_page(client, _path(cup.event_id), admin))
    assert "赛程编排" in page and "场地设置" in page and "先填写场地设置，再自动编排。" in page
    assert 'value="auto"' not in page  # nothing to schedule on before the venue

    bad = _venue_form(
        cup,
        court_name_zh=["1号场", "", "3号场", ""],
        court_id=["", "x y", "", ""],
        session_end=["08:00", "18:00"],
        session_courts=["", "9号场"],
        rest_minutes="300",
    )
    refused = post_form(client, _path(cup.event_id), admin, bad)
    html = _html(refused)
    assert refused.status_code == 400
    assert "第 2 个场地：编号只能用字母、数字、- 和 _，最多 16 个字符。" in html
    assert "第 1 个时段：请填写日期、开始和结束时间，结束要晚于开始。" in html
    assert "请填写 0–240 之间的整数" in html
    assert re.search(r'<input name="court_id" value="x y"[^>]*aria-invalid="true"', html)  # what was typed stays
    assert '<input name="court_name_zh" value="1号场" maxlength="20" aria-label="名称">' in html  # a good row unmarked
    assert re.search(r'id="f-rest_minutes"[^>]*value="300"[^>]*aria-invalid="true"', html)
    assert _view(organiser, cup.event_id).venue is None  # nothing written
    english = _html(post_form(client, _path(cup.event_id, "?lang=en"), admin, bad))
    assert "Court 2: a number uses letters, digits, - and _ only" in english and "Session 1: enter the date" in english

    unknown = _html(post_form(client, _path(cup.event_id), admin, _venue_form(cup, session_courts=["", "9号场"])))
    assert "没有叫“9号场”的场地。" in unknown and _view(organiser, cup.event_id).venue is None

    saved = post_form(client, _path(cup.event_id), admin, _venue_form(cup, session_courts=["", "1号场 2"]))
    assert saved.status_code == 303 and header(saved, "Location").endswith("?done=venue#venue")
    venue = _view(organiser, cup.event_id).venue
    assert [(c.court_id, c.name_zh, c.name_en) for c in venue.courts] == [
        ("1", "1号场", "Court 1"),
        ("2", "2号场", "Court 2"),
        ("3", "3号场", "Court 3"),
    ]
    assert [s.courts for s in venue.sessions] == [(), ("1", "2")]  # courts named by name or number
    assert venue.sessions[0].start.astimezone(CHINA_TZ).strftime("%H:%M") == "08:30"
    assert venue.slot_minutes == 40 and venue.minutes("knockout") == 50 and venue.minutes("groups") == 40
    assert venue.rest_minutes == 20 and venue.together and not venue.referees
    again = _html(get_page(client, _path(cup.event_id, "?done=venue"), admin))
    assert "场地设置已保存。" in again and 'value="1号场"' in again and 'value="1号场、2号场"' in again
    assert 'value="auto"' in again


def _placed(row):
    return (row.court, row.starts_at)


def _card(html, key):
    """The timetable card of the match ``key`` (up to the next card)."""
    anchor = 'id="m-' + key.replace("/", "-") + '"'
    start = html.index(anchor)
    end = html.find('<li class="slot', start + 1)
    return html[start : end if end > 0 else len(html)]


def test_scheduling_moving_swapping_and_locking_on_the_timetable(client, callers, organiser, cup):
    admin = callers["unit_admin"]
    if _view(organiser, cup.event_id).venue is None:
        assert post_form(client, _path(cup.event_id), admin, _venue_form(cup)).status_code == 303
    scheduled = post_form(client, _path(cup.event_id), admin, {"action": "auto"})
    assert scheduled.status_code == 303 and header(scheduled, "Location").endswith("?done=auto#timetable")
    view = _view(organiser, cup.event_id)
    groups = [row for row in view.rows if row.stage.stage_id == "groups"]
    assert len(groups) == 12 and all(row.court and row.starts_at for row in groups)
    assert view.conflicts == [] and view.unplaced == []
    page = _html(get_page(client, _path(cup.event_id, "?done=auto"), admin))
    assert "已自动编排。" in page and "已安排 12 场，未安排 0 场，冲突 0 处。" in page
    assert all(f"<h3>{name} " in page for name in ("1号场", "2号场", "3号场"))
    first, second, third = groups[0], groups[1], groups[-1]
    card = _card(page, first.key)
    assert first.starts_at.strftime("%H:%M") in card and first.home_name in card and first.away_name in card
    assert "A 组 第1轮" in card or "B 组 第1轮" in card
    by_time = _html(get_page(client, _path(cup.event_id, "?view=time"), admin))
    assert "<strong>按时间</strong>" in by_time and 'class="court-column"' not in by_time
    first_time = min(row.starts_at for row in groups).astimezone(CHINA_TZ).strftime("%H:%M")
    assert f'<h3 class="slot-time">{first_time}</h3>' in by_time
    assert f'<span class="court">{first.court}号场</span>' in _card(by_time, first.key)

    # A match moved onto another's court and time is kept, locked and flagged in words.
    editing = _html(get_page(client, _path(cup.event_id, f"?match={first.key}"), admin))
    assert 'name="action" value="move"' in _card(editing, first.key) and 'name="other"' in _card(editing, first.key)
    clash = {
        "action": "move",
        "match": third.key,
        "court": first.court,
        "starts_at": first.starts_at.strftime("%Y-%m-%dT%H:%M"),
    }
    moved = post_form(client, _path(cup.event_id), admin, clash)
    assert moved.status_code == 303 and header(moved, "Location").endswith(
        "?done=move#m-" + third.key.replace("/", "-")
    )
    rows = _rows(organiser, cup.event_id)
    assert _placed(rows[third.key]) == _placed(first) and rows[third.key].locked
    assert "schedule_court_double_booked" in rows[third.key].conflicts
    page = _html(get_page(client, _path(cup.event_id, "?done=move"), admin))
    assert "比赛已移动并锁定。" in page and "同一场地同时安排了两场比赛" in _card(page, third.key)
    assert "已锁定" in _card(page, third.key) and 'class="slot clash' in page
    assert "冲突 0 处" not in page and 'id="conflicts"' in page
    english = _html(get_page(client, _path(cup.event_id, "?lang=en"), admin))
    assert "Two matches on one court at once" in _card(english, third.key) and "Locked" in _card(english, third.key)

    # Swapping two matches exchanges their courts and times; both are locked.
    before = _rows(organiser, cup.event_id)
    swapped = post_form(client, _path(cup.event_id), admin, {"action": "swap", "match": first.key, "other": second.key})
    assert swapped.status_code == 303
    after = _rows(organiser, cup.event_id)
    assert _placed(after[first.key]) == _placed(before[second.key])
    assert _placed(after[second.key]) == _placed(before[first.key])
    assert after[first.key].locked and after[second.key].locked

    # A match locked where it is stays there when the rest are scheduled again.
    fourth = groups[3]
    assert not after[fourth.key].locked
    locked = post_form(client, _path(cup.event_id), admin, {"action": "lock", "match": fourth.key})
    assert locked.status_code == 303 and "?done=lock" in header(locked, "Location")
    kept = post_form(client, _path(cup.event_id), admin, {"action": "auto"})
    assert kept.status_code == 303
    again = _rows(organiser, cup.event_id)
    assert again[fourth.key].locked and _placed(again[fourth.key]) == _placed(after[fourth.key])
    assert _placed(again[third.key]) == _placed(first)  # the moved one is locked too: still on its clash

    # Unlocking and taking a match off the timetable; the next run places it again.
    assert post_form(client, _path(cup.event_id), admin, {"action": "unlock", "match": third.key}).status_code == 303
    off = post_form(client, _path(cup.event_id), admin, {"action": "unschedule", "match": third.key})
    assert off.status_code == 303
    page = _html(get_page(client, _path(cup.event_id, "?done=unschedule"), admin))
    assert "比赛已移出赛程。" in page and "尚未安排场地和时间" in _card(page, third.key)
    assert post_form(client, _path(cup.event_id), admin, {"action": "auto"}).status_code == 303
    final = _view(organiser, cup.event_id)
    assert final.conflicts == [] and all(row.court and row.starts_at for row in final.rows)


def test_bad_moves_and_a_played_match_are_refused_in_words(client, callers, organiser, union_admin, cup):
    admin = callers["unit_admin"]
    if _view(organiser, cup.event_id).venue is None:
        assert post_form(client, _path(cup.event_id), admin, _venue_form(cup)).status_code == 303
    post_form(client, _path(cup.event_id), admin, {"action": "auto"})
    rows = [row for row in _view(organiser, cup.event_id).rows if row.status == "ready"]
    played, other = rows[0], rows[1]
    stage, match_id = played.key.split("/")
    competition_service.enter_result(get_store(), union_admin, cup.event_id, stage, match_id, WIN, now())

    words = {"zh": "这场比赛已经赛完，不能再调整场地和时间", "en": "This match has been played: its court and time"}
    for language in ("zh", "en"):
        move = {
            "action": "move",
            "match": played.key,
            "court": "2",
            "starts_at": played.starts_at.strftime("%Y-%m-%dT%H:%M"),
        }
        refused = post_form(client, _path(cup.event_id, f"?lang={language}"), admin, move)
        html = _html(refused)
        assert refused.status_code == 409 and 'role="alert"' in html and words[language] in html
    assert _placed(_rows(organiser, cup.event_id)[played.key]) == _placed(played)

    no_time = {"action": "move", "match": other.key, "court": "1", "starts_at": "tomorrow"}
    refused = post_form(client, _path(cup.event_id), admin, no_time)
    assert refused.status_code == 400 and "请填写开始时间（日期和时刻）。" in _html(refused)
    unknown = post_form(client, _path(cup.event_id), admin, {**no_time, "court": "9", "starts_at": "2030-01-01T09:00"})
    assert unknown.status_code == 400 and re.search(r'id="f-court"[^>]*aria-invalid="true"', _html(unknown))
    missing = post_form(client, _path(cup.event_id), admin, {"action": "lock", "match": "groups/Z9-9"})
    assert missing.status_code == 404 and "没有这场比赛。" in _html(missing)
    unchosen = post_form(client, _path(cup.event_id), admin, {"action": "swap", "match": other.key, "other": ""})
    assert unchosen.status_code == 400 and re.search(r'id="f-other"[^>]*aria-invalid="true"', _html(unchosen))
    assert "选择一场比赛" in _html(unchosen)
    assert post_form(client, _path(cup.event_id), admin, {"action": "nothing"}).status_code == 400


def test_others_are_refused_and_the_page_is_linked_from_the_hub_and_the_competition(client, callers, cup):
    for who in ("member", "other_unit_admin"):
        caller = callers[who]
        assert get_page(client, _path(cup.event_id), caller).status_code == 403
        assert post_form(client, _path(cup.event_id), caller, {"action": "auto"}).status_code == 403
        assert get_page(client, f"/admin/events/{cup.event_id}/edit", caller).status_code == 403  # as the hub
    anonymous = get_page(client, _path(cup.event_id), callers["anonymous"])
    assert anonymous.status_code == 303 and header(anonymous, "Location").startswith("/signin?next=")
    admin = callers["unit_admin"]
    link = f'href="{_path(cup.event_id)}"'
    assert link in _html(get_page(client, f"/admin/events/{cup.event_id}/edit", admin))
    assert link in _html(get_page(client, f"/admin/events/{cup.event_id}/competition", admin))
    english = _html(get_page(client, _path(cup.event_id, "?lang=en"), admin))
    assert "<h1>Schedule</h1>" in english and "Venue" in english and "Courts (or pitches, tables)" in english


def test_a_tournament_not_set_up_yet_says_so(client, callers, union_admin):
    fields = {"owner_unit_id": "cs", "kind": EventKind.SPORTS, "format": EventFormat.TOURNAMENT, "capacity": 8}
    event = published_event(union_admin, days=20, hours=3, title_zh="还没设置的比赛", **fields)
    page = get_page(client, _path(event.event_id), callers["unit_admin"])
    html = _html(page)
    assert page.status_code == 200 and "赛事还没有设置。先在赛事管理中设置赛制并抽签。" in html
    assert f'href="/admin/events/{event.event_id}/competition"' in html and 'name="action"' not in html


def test_the_demo_cup_scheduled_from_its_page(client, callers):
    admin = callers["union_admin"]
    union = Principal(staff_no=admin.staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    page = _html(get_page(client, _path(DEMO_CUP), admin))
    assert "1号场" in page
    scheduled = post_form(client, _path(DEMO_CUP), admin, {"action": "auto"})
    assert scheduled.status_code == 303
    view = _view(union, DEMO_CUP)
    groups = [row for row in view.rows if row.stage.stage_id == "groups"]
    assert len(groups) == 24 and all(row.court and row.starts_at for row in groups)
    assert view.conflicts == []
    page = _html(get_page(client, _path(DEMO_CUP, "?done=auto"), admin))
    assert "冲突 0 处" in page and all(f"<h3>{n}号场 " in page for n in range(1, 5))


def test_a_league_plays_on_its_matchdays_at_home_and_a_postponed_match_is_placed_again(
    client, callers, organiser, union_admin, demo_union
):
    taken = {caller.staff_no for caller in callers.values()}
    players = {}
    for member in demo_union.members:
        if member.status is MemberStatus.ACTIVE and member.staff_no not in taken and member.unit_id != "cs":
            players.setdefault(member.unit_id, member)
    fields = {"owner_unit_id": "cs", "kind": EventKind.SPORTS, "format": EventFormat.TOURNAMENT, "capacity": 8}
    event = published_event(union_admin, days=21, hours=3, title_zh="三校区联赛", entry_type=EntryType.TEAM, **fields)
    units = sorted(players)[-4:]
    for unit in units:
        team_service.enter_team(
            get_store(), union_admin, event, unit, f"{unit}联队", [players[unit].staff_no], None, now()
        )
    admin = callers["unit_admin"]
    first_day = _day(event)
    setup = {"action": "setup", "template": "league", "match_format": "badminton_3", "tiebreak": "badminton_team"}
    setup |= {"lg_legs": "1", "lg_first_matchday": first_day, "lg_days_between": "7"}
    competition = f"/admin/events/{event.event_id}/competition"
    assert post_form(client, competition, admin, setup).status_code == 303
    assert post_form(client, competition, admin, {"action": "draw", "stage": "league"}).status_code == 303

    page = _html(get_page(client, _path(event.event_id), admin))
    assert "联赛：比赛日和主场" in page and f"{units[0]}联队" in page
    entries = [entry.entry_id for entry in _view(organiser, event.event_id).competition.entries]
    venue = {
        "action": "venue",
        "court_id": ["a", "b"],
        "court_name_zh": ["东区体育馆", "西区体育馆"],
        "court_name_en": ["", ""],
        "session_day": [first_day],
        "session_start": [""],
        "session_end": [""],
        "session_courts": [""],
        "slot_minutes": "60",
        "rest_minutes": "0",
        "window_start": ["19:00", "21:00"],
        "window_end": ["18:00", ""],
        "home_entry": entries,
        "home_courts": ["东区体育馆", "b", "", "c"],
    }
    refused = post_form(client, _path(event.event_id), admin, venue)
    html = _html(refused)
    assert refused.status_code == 400 and "比赛日时间：请填写开始和结束，结束要晚于开始。" in html
    assert "没有叫“c”的场地。" in html and _view(organiser, event.event_id).venue is None
    venue |= {"window_start": ["19:00", ""], "window_end": ["21:30", ""], "home_courts": ["东区体育馆", "b", "", ""]}
    assert post_form(client, _path(event.event_id), admin, venue).status_code == 303
    stored = _view(organiser, event.event_id).venue
    assert [(home.entry_id, home.courts) for home in stored.home_venues] == [(entries[0], ("a",)), (entries[1], ("b",))]
    assert [(w.start.isoformat(), w.end.isoformat()) for w in stored.matchday_times] == [("19:00:00", "21:30:00")]

    assert post_form(client, _path(event.event_id), admin, {"action": "auto"}).status_code == 303
    view = _view(organiser, event.event_id)
    assert view.conflicts == [] and all(row.court and row.starts_at for row in view.rows)
    for row in view.rows:
        local = row.starts_at.astimezone(CHINA_TZ)
        assert local.date().isoformat() == row.match.matchday and "19:00" <= local.strftime("%H:%M") < "21:30"
        home = {entries[0]: "a", entries[1]: "b"}.get(row.match.home.entry)
        assert home is None or row.court == home  # at the home team's venue

    row = view.rows[0]
    new_date = (row.starts_at.astimezone(CHINA_TZ).date() + timedelta(days=3)).isoformat()
    editing = _html(get_page(client, _path(event.event_id, f"?match={row.key}"), admin))
    assert 'name="action" value="postpone"' in _card(editing, row.key)
    moved = post_form(
        client, _path(event.event_id), admin, {"action": "postpone", "match": row.key, "new_date": new_date}
    )
    assert moved.status_code == 303
    page = _html(get_page(client, _path(event.event_id, "?done=postpone"), admin))
    assert "比赛已延期，请重新编排。" in page and f"延期至 {new_date}" in _card(page, row.key)
    assert "已延期，待重新安排" in _card(page, row.key)
    assert post_form(client, _path(event.event_id), admin, {"action": "auto"}).status_code == 303
    again = {item.key: item for item in _view(organiser, event.event_id).rows}[row.key]
    assert again.starts_at.astimezone(CHINA_TZ).date().isoformat() == new_date and again.court

    # With referees asked for, each match gets one of the event's referees, named on its card.
    referee = next(
        m
        for m in demo_union.members
        if m.unit_id == "cs" and m.staff_no not in taken and m.status is MemberStatus.ACTIVE
    )
    competition_officials.name_official(get_store(), union_admin, event.event_id, referee.staff_no, "referee", now())
    assert post_form(client, _path(event.event_id), admin, {**venue, "referees": "1"}).status_code == 303
    assert post_form(client, _path(event.event_id), admin, {"action": "auto"}).status_code == 303
    refereed = _view(organiser, event.event_id)
    assert refereed.conflicts == [] and {row.referee for row in refereed.rows} == {referee.staff_no}
    page = _html(get_page(client, _path(event.event_id), admin))
    assert f"裁判：{referee.name} {referee.staff_no}" in _card(page, refereed.rows[-1].key)


def test_open_sessions_on_days_the_event_is_not_held_are_pointed_out(client, callers, organiser, cup):
    """A session the day before the event is kept (the organiser may know better) but the page says which days are
    not the event's, in zh and en; sessions on the event's days say nothing."""
    admin = callers["unit_admin"]
    assert post_form(client, _path(cup.event_id), admin, _venue_form(cup)).status_code == 303
    assert 'id="days-outside"' not in _html(get_page(client, _path(cup.event_id), admin))
    day_before = (cup.starts_at.astimezone(CHINA_TZ).date() - timedelta(days=1)).isoformat()
    early = _venue_form(cup, session_day=[day_before, _day(cup)])
    assert post_form(client, _path(cup.event_id), admin, early).status_code == 303
    assert _view(organiser, cup.event_id).days_outside_event == (date.fromisoformat(day_before),)
    page = _html(get_page(client, _path(cup.event_id), admin))
    assert f"场地开放时间中有不在本活动日期内的日子：{day_before}。" in page
    english = _html(get_page(client, _path(cup.event_id, "?lang=en"), admin))
    assert f"fall on days the event is not held: {day_before}." in english
    assert post_form(client, _path(cup.event_id), admin, _venue_form(cup)).status_code == 303
