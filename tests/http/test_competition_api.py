"""The competition API through the test client: a groups-then-knockout tournament from set-up to published results
(referees, corrections, redraws), a judged contest (judges' sheets and the secrecy of marks), a meet (measured
performances and unit totals), with the errors a client sees."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    EntryType,
    EventFormat,
    EventKind,
    EventStatus,
    MemberStatus,
    TeamRule,
)
from chalicelib.services import accounts
from chalicelib.services import events as event_service
from chalicelib.services import registration as registration_service
from chalicelib.services import teams as team_service
from chalicelib.settings import get_settings
from chalicelib.storage import get_store
from tests.http.conftest import Caller

WIN = {"games": [[21, 15], [21, 18]]}  # the home side wins
LOSS = {"games": [[15, 21], [18, 21]]}
GROUPS_THEN_KNOCKOUT = [
    {"stage_id": "groups", "kind": "groups", "name_zh": "小组赛", "groups": 2, "qualifiers": 2},
    {"stage_id": "ko", "kind": "single_elimination", "name_zh": "淘汰赛"},
]


def _call(client, caller: Caller, method: str, path: str, body=None):
    headers = caller.headers(**{"Content-Type": "application/json"})
    data = b"" if body is None else json.dumps(body).encode()
    return client.http.request(method, "/api" + path, headers=headers, body=data)


def _spare(demo_union, callers, unit_id: str) -> list:
    """Active members of a unit who are none of the callers and have no account yet."""
    taken = {caller.staff_no for caller in callers.values()} | {a.staff_no for a in demo_union.accounts}
    return [m for m in demo_union.members if m.unit_id == unit_id and m.status is MemberStatus.ACTIVE
            and m.staff_no not in taken]  # fmt: skip


def _signed_in(member) -> Caller:
    """A member who activates their account through the service, as one does from an activation sheet."""
    store, settings = get_store(), get_settings()
    (issued,) = accounts.issue_activation_codes(store, settings, [member])
    session = accounts.activate(store, settings, member.staff_no, issued.code, "Lantern#2048", "10.0.0.7")
    return Caller(member.name, member.staff_no, session.token)


def _organiser(callers) -> Principal:
    return Principal(staff_no=callers["union_admin"].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)


def _event(callers, title: str, kind: EventKind, format: EventFormat, entrants, **extra) -> str:
    """A published event of the computer science unit with ``entrants`` registered (confirmed), in that order."""
    store, organiser = get_store(), _organiser(callers)
    start = now() + timedelta(days=7)
    fields = {"owner_unit_id": "cs", "kind": kind, "format": format, "title_zh": title, "starts_at": start,
              "ends_at": start + timedelta(hours=6), "capacity": 64, **extra}  # fmt: skip
    event = event_service.create_event(store, organiser, fields, [], now())
    event_service.change_status(store, organiser, event.event_id, EventStatus.PUBLISHED, now())
    for member in entrants:
        registration_service.register(store, Principal(staff_no=member.staff_no), event.event_id, "series", {}, now())
    return event.event_id


@pytest.fixture(scope="module")
def people(demo_union, callers):
    """Players from three units, and members who will be named referee or judges."""
    cs, mech, ee = (_spare(demo_union, callers, unit) for unit in ("cs", "mech", "ee"))
    return {"players": [*cs[:3], *mech[:3], *ee[:2]], "officials": [_signed_in(m) for m in cs[3:6]], "others": cs[6:]}


def _stage(view: dict, stage_id: str) -> dict:
    return next(stage for stage in view["stages"] if stage["stage_id"] == stage_id)


def _problem(response) -> str:
    return response.json_body["error"]["details"][0]["problem"]


def test_a_tournament_from_set_up_to_published_results(client, callers, people):
    admin, member, other_admin, anonymous = (callers[name] for name in
                                             ("unit_admin", "member", "other_unit_admin", "anonymous"))  # fmt: skip
    referee = people["officials"][0]
    players = [p.staff_no for p in people["players"]]
    event_id = _event(callers, "羽毛球单打", EventKind.SPORTS, EventFormat.TOURNAMENT, people["players"])
    base = f"/events/{event_id}/competition"
    assert _call(client, admin, "GET", base).json_body["error"]["code"] == "competition_not_set_up"

    # Set-up: organisers only; validated at the edge and by the engine (a knockout cannot lead on), never a 500.
    setup = {"match_format": "badminton", "tiebreak": "badminton", "stages": GROUPS_THEN_KNOCKOUT}
    assert _call(client, other_admin, "PUT", base, setup).status_code == 403
    assert _call(client, member, "PUT", base, setup).status_code == 403
    unknown_field = _call(client, admin, "PUT", base, {**setup, "format": "x"})
    assert (unknown_field.status_code, _problem(unknown_field)) == (400, "extra_forbidden")
    backwards = _call(client, admin, "PUT", base, {**setup, "stages": GROUPS_THEN_KNOCKOUT[::-1]})
    assert backwards.status_code == 400, backwards.body
    unknown_format = _call(client, admin, "PUT", base, {**setup, "match_format": "croquet"})
    assert (unknown_format.status_code, _problem(unknown_format)) == (400, "unknown_match_format")
    configured = _call(client, admin, "PUT", base, {**setup, "seeds": {players[0]: 1}})
    assert configured.status_code == 200, configured.body
    assert [e["entry_id"] for e in configured.json_body["entries"]] == players
    assert configured.json_body["entries"][0]["seed"] == 1 and configured.json_body["entries"][0]["unit_name"]
    gap = _call(client, admin, "PUT", base + "/seeds", {"seeds": {players[0]: 1, players[3]: 3}})
    assert (gap.status_code, _problem(gap)) == (400, "seeds_not_consecutive")
    seeded = _call(client, admin, "PUT", base + "/seeds", {"seeds": {players[0]: 1, players[3]: 2}})
    assert [e["seed"] for e in seeded.json_body["entries"]][:4] == [1, None, None, 2]

    # Unpublished: the organisers see it; a member and visitors do not.
    for caller in (anonymous, member):
        assert _call(client, caller, "GET", base).status_code == 404
    drawn = _call(client, admin, "POST", base + "/stages/groups/draw")
    assert drawn.status_code == 200, drawn.body
    first_seed = _stage(drawn.json_body, "groups")["seed"]
    redrawn = _stage(_call(client, admin, "POST", base + "/stages/groups/draw").json_body, "groups")
    assert redrawn["redraws"] == 1 and redrawn["seed"] != first_seed and len(redrawn["matches"]) == 12
    assert [len(table["rows"]) for table in redrawn["tables"]] == [4, 4]
    assert _call(client, admin, "PUT", base, setup).json_body["error"]["code"] == "competition_drawn"

    # A named referee may enter results and see the unpublished competition; a plain member and another unit's
    # admin may not.
    named = _call(client, admin, "PUT", base + "/officials", {"staff_no": referee.staff_no, "role": "referee"})
    assert (named.status_code, named.json_body["roles"]) == (200, ["referee"])
    listed = _call(client, admin, "GET", base + "/officials").json_body["officials"]
    assert [(o["staff_no"], o["roles"]) for o in listed] == [(referee.staff_no, ["referee"])]
    assert _call(client, referee, "GET", base).status_code == 200
    matches = redrawn["matches"]
    result = f"{base}/stages/groups/matches/{{}}/result"
    by_organiser = _call(client, admin, "PUT", result.format(matches[0]["match_id"]), WIN)
    assert by_organiser.status_code == 200, by_organiser.body
    assert by_organiser.json_body["status"] == "done"
    assert by_organiser.json_body["winner"] == matches[0]["home"]["entry_id"]
    assert by_organiser.json_body["result"]["games"] == [[21, 15], [21, 18]]
    for caller in (member, other_admin):
        refused = _call(client, caller, "PUT", result.format(matches[1]["match_id"]), WIN)
        assert (refused.status_code, refused.json_body["error"]["code"]) == (403, "forbidden")
    by_referee = _call(client, referee, "PUT", result.format(matches[1]["match_id"]), LOSS)
    assert (by_referee.status_code, by_referee.json_body["winner"]) == (200, matches[1]["away"]["entry_id"])
    again = _call(client, referee, "PUT", result.format(matches[1]["match_id"]), WIN)
    assert (again.status_code, again.json_body["error"]["code"]) == (409, "already_played")
    not_finished = _call(client, admin, "PUT", result.format(matches[2]["match_id"]), {"games": [[21, 20], [21, 15]]})
    assert (not_finished.status_code, _problem(not_finished)) == (400, "game_not_finished")
    assert _call(client, admin, "PUT", result.format("A9-9"), WIN).status_code == 404
    late_redraw = _call(client, admin, "POST", base + "/stages/groups/draw")
    assert (late_redraw.status_code, late_redraw.json_body["error"]["code"]) == (409, "stage_started")
    early = _call(client, admin, "POST", base + "/stages/groups/close")
    assert (early.status_code, early.json_body["error"]["code"]) == (409, "stage_unfinished")

    # Every group match played: closing the groups draws the knockout by the crossing, A1–B2 and B1–A2.
    for match in matches[2:]:
        assert _call(client, admin, "PUT", result.format(match["match_id"]), WIN).status_code == 200
    closed = _call(client, admin, "POST", base + "/stages/groups/close")
    assert closed.status_code == 200, closed.body
    groups, knockout = _stage(closed.json_body, "groups"), _stage(closed.json_body, "ko")
    assert groups["state"] == "closed" and groups["complete"] and knockout["state"] == "drawn"
    a, b = ([row["entry_id"] for row in table["rows"]] for table in groups["tables"])
    assert [row["rank"] for row in groups["tables"][0]["rows"]] == [1, 2, 3, 4]
    assert groups["qualified"] == [a[0], b[0], a[1], b[1]]
    semis = [(m["match_id"], m["round_key"], m["home"]["entry_id"], m["away"]["entry_id"]) for m in knockout["matches"]]
    assert semis[:2] == [("W1-1", "semi_final", a[0], b[1]), ("W1-2", "semi_final", a[1], b[0])]
    assert semis[2][:2] == ("W2-1", "final")

    # A correction is refused once the winner has played on; one that keeps the winner is still taken.
    ko_result = f"{base}/stages/ko/matches/{{}}/result"
    for match_id in ("W1-1", "W1-2", "W2-1"):
        assert _call(client, referee, "PUT", ko_result.format(match_id), WIN).status_code == 200
    flipped = _call(client, admin, "PUT", ko_result.format("W1-1"), {**LOSS, "correct": True})
    assert flipped.status_code == 409
    assert flipped.json_body["error"]["code"] == "dependents_played"
    assert flipped.json_body["error"]["details"] == {"matches": ["W2-1"]}
    retyped = _call(client, admin, "PUT", ko_result.format("W1-1"), {"games": [[21, 19], [23, 21]], "correct": True})
    assert (retyped.status_code, retyped.json_body["result"]["games"]) == (200, [[21, 19], [23, 21]])

    # Published: everyone sees the draw, the tables with their tie-breaks and the final placings.
    assert _call(client, anonymous, "GET", base).status_code == 404
    assert _call(client, member, "POST", base + "/publish", {"published": True}).status_code == 403
    published = _call(client, admin, "POST", base + "/publish", {"published": True})
    assert published.status_code == 200 and published.json_body["published"] is True
    public = _call(client, anonymous, "GET", base)
    assert public.status_code == 200, public.body
    knockout = _stage(public.json_body, "ko")
    assert knockout["placings"][:2] == [
        {"place": 1, "entry_id": a[0], "name": knockout["matches"][0]["home"]["name"]},
        {"place": 2, "entry_id": a[1], "name": knockout["matches"][1]["home"]["name"]},
    ]
    final = next(m for m in knockout["matches"] if m["match_id"] == "W2-1")
    assert (final["home"]["source"], final["winner"]) == ("W:W1-1", a[0])
    rows = [row for table in _stage(public.json_body, "groups")["tables"] for row in table["rows"]]
    assert all(row["played"] == 3 and row["name"] for row in rows)
    for row in rows:
        if row["reason"] is not None:
            assert row["reason"]["rule"] and row["reason"]["against"] in players


def test_a_team_tie_is_entered_rubber_by_rubber(client, callers, people):
    admin, players = callers["unit_admin"], people["players"]
    event_id = _event(callers, "羽毛球团体赛", EventKind.SPORTS, EventFormat.TOURNAMENT, [],
                      entry_type=EntryType.TEAM, team_rule=TeamRule(min_size=1, max_size=3))  # fmt: skip
    store, organiser = get_store(), _organiser(callers)
    event = store.events.get(event_id)
    teams = [
        team_service.enter_team(store, organiser, event, unit, name, [p.staff_no for p in roster], None, now())
        for unit, name, roster in (("cs", "计算机队", players[:2]), ("mech", "机械队", players[3:5]))
    ]
    base = f"/events/{event_id}/competition"
    final = {"stage_id": "final", "kind": "single_elimination", "name_zh": "决赛"}
    configured = _call(client, admin, "PUT", base, {"match_format": "badminton_3", "stages": [final]})
    assert configured.json_body["entry_kind"] == "team"
    assert [e["name"] for e in configured.json_body["entries"]] == ["计算机队", "机械队"]
    assert {e["entry_id"] for e in configured.json_body["entries"]} == {t.team_id for t in teams}
    (match,) = _stage(_call(client, admin, "POST", base + "/stages/final/draw").json_body, "final")["matches"]
    result = f"{base}/stages/final/matches/{match['match_id']}/result"
    # First singles, doubles, second singles, stopping at two: a third rubber after 2–0 is refused.
    played_on = _call(client, admin, "PUT", result, {"rubbers": [WIN, WIN, WIN]})
    assert (played_on.status_code, _problem(played_on)) == (400, "played_after_decided")
    decided = _call(client, admin, "PUT", result, {"rubbers": [WIN, LOSS, WIN]})
    assert decided.status_code == 200, decided.body
    tie = decided.json_body["result"]
    assert (tie["home"], tie["away"], len(tie["rubbers"])) == (2, 1, 3)
    assert tie["rubbers"][1]["winner"] == "away" and decided.json_body["winner"] == match["home"]["entry_id"]


JUDGED = {
    "stage_id": "prelim",
    "kind": "judged",
    "name_zh": "预赛",
    "judging": {
        "criteria": [
            {"code": "pitch", "name_zh": "音准", "weight": 0.5},
            {"code": "stage", "name_zh": "台风", "weight": 0.5},
        ],
        "aggregation": "mean",
        "tiers": [{"code": "first", "name_zh": "一等奖", "count": 1}],
    },
}


def test_judges_mark_only_their_entries_and_see_only_their_own_marks(client, callers, people):
    admin, member = callers["unit_admin"], callers["member"]
    first, second = people["officials"][1:3]
    singers = people["players"][:4]
    ids = [s.staff_no for s in singers]
    event_id = _event(callers, "歌手大赛", EventKind.SKILLS, EventFormat.CONTEST, singers)
    base = f"/events/{event_id}/competition"
    panels = [
        {"panel_id": "p1", "name_zh": "第一组", "judges": [first.staff_no, second.staff_no], "entries": ids[:3]},
        {"panel_id": "p2", "name_zh": "第二组", "judges": [second.staff_no], "entries": ids[3:]},
    ]
    stage = {**JUDGED, "judging": {**JUDGED["judging"], "panels": panels}}
    assert _call(client, admin, "PUT", base, {"stages": [stage]}).status_code == 200
    for judge in (first, second):
        named = _call(client, admin, "PUT", base + "/officials", {"staff_no": judge.staff_no, "role": "judge"})
        assert named.status_code == 200
    never_opened = _call(client, admin, "POST", base + "/stages/prelim/close")
    assert (never_opened.status_code, never_opened.json_body["error"]["code"]) == (409, "stage_not_open")
    assert _call(client, admin, "POST", base + "/stages/prelim/open").status_code == 200
    sheet, marks = base + "/stages/prelim/judging", base + "/stages/prelim/marks/{}"

    assert [e["entry_id"] for e in _call(client, first, "GET", sheet).json_body["entries"]] == ids[:3]
    assert [e["entry_id"] for e in _call(client, second, "GET", sheet).json_body["entries"]] == ids
    for outsider in (member, admin):  # the organisers follow the ranking, they do not mark
        assert _call(client, outsider, "GET", sheet).status_code == 403
    assert _call(client, second, "PUT", marks.format(ids[0]), {"marks": {"pitch": 90, "stage": 80}}).status_code == 200
    assert _call(client, first, "GET", sheet).json_body["entries"][0]["marks"] is None
    unassigned = _call(client, first, "PUT", marks.format(ids[3]), {"marks": {"pitch": 90, "stage": 90}})
    assert (unassigned.status_code, unassigned.json_body["error"]["code"]) == (403, "entry_not_assigned")
    too_high = _call(client, first, "PUT", marks.format(ids[0]), {"marks": {"pitch": 101, "stage": 70}})
    assert (too_high.status_code, _problem(too_high)) == (400, "mark_out_of_range")
    assert _call(client, member, "PUT", marks.format(ids[0]), {"marks": {"pitch": 70, "stage": 70}}).status_code == 403
    assert _call(client, first, "PUT", marks.format(ids[0]), {"marks": {"pitch": 70, "stage": 70}}).status_code == 200
    own = _call(client, first, "GET", sheet).json_body["entries"][0]
    assert own["marks"] == {"pitch": 70.0, "stage": 70.0}

    # While the panel marks: a judge sees only their own marks and no scores; the organisers see scores, no marks.
    seen_by_judge = _stage(_call(client, first, "GET", base).json_body, "prelim")["judged"][0]
    assert seen_by_judge["marks"] == {first.staff_no: {"pitch": 70.0, "stage": 70.0}}
    assert (seen_by_judge["score"], seen_by_judge["rank"]) == (None, None)
    seen_by_organiser = _stage(_call(client, admin, "GET", base).json_body, "prelim")["judged"][0]
    assert (seen_by_organiser["score"], seen_by_organiser["marks"]) == ("77.50", None)  # mean of 85 and 70

    for judge, entries in ((first, ids[1:3]), (second, ids[1:])):
        for entry in entries:
            marked = _call(client, judge, "PUT", marks.format(entry), {"marks": {"pitch": 60, "stage": 60}})
            assert marked.status_code == 200
    closed = _call(client, admin, "POST", base + "/stages/prelim/close")
    assert closed.status_code == 200, closed.body
    late = _call(client, first, "PUT", marks.format(ids[0]), {"marks": {"pitch": 99, "stage": 99}})
    assert (late.status_code, late.json_body["error"]["code"]) == (409, "panel_closed")
    # Once the panel is closed, the marks are open to all who may see the competition.
    top = _stage(_call(client, first, "GET", base).json_body, "prelim")["judged"][0]
    assert (top["entry_id"], top["rank"], top["score"], top["award"]) == (ids[0], 1, "77.50", "first")
    assert set(top["marks"]) == {first.staff_no, second.staff_no}


def test_a_meet_takes_performances_and_adds_unit_totals(client, callers, people):
    admin, member = callers["unit_admin"], callers["member"]
    runners = people["players"][:4]  # cs, cs, cs, mech
    ids = [r.staff_no for r in runners]
    event_id = _event(callers, "田径运动会", EventKind.SPORTS, EventFormat.MEET, runners)
    base = f"/events/{event_id}/competition"
    meet = {"place_points": [7, 5, 4, 3, 2, 1],
            "disciplines": [{"code": "m100", "name_zh": "100米", "measure": "time", "entries": ids}]}  # fmt: skip
    stage = {"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": meet}
    # Every runner must be an entry of the competition: their units make the team totals.
    stranger = {**meet, "disciplines": [{**meet["disciplines"][0], "entries": [*ids, "X9999"]}]}
    refused = _call(client, admin, "PUT", base, {"stages": [{**stage, "meet": stranger}]})
    assert (refused.status_code, _problem(refused)) == (400, "unknown_entries")
    assert _call(client, admin, "PUT", base, {"stages": [stage]}).status_code == 200
    assert _call(client, admin, "POST", base + "/stages/meet/open").status_code == 200
    performance = base + "/stages/meet/performances/m100/{}"
    bad = _call(client, admin, "PUT", performance.format(ids[0]), {"attempts": ["12.1.0"]})
    assert (bad.status_code, _problem(bad)) == (400, "mark_format")
    assert bad.json_body["error"]["details"][0]["field"] == "attempts.0"
    too_many = _call(client, admin, "PUT", performance.format(ids[0]), {"attempts": ["12.10", "12.20"]})
    assert (too_many.status_code, _problem(too_many)) == (400, "too_many_attempts")
    assert _call(client, member, "PUT", performance.format(ids[0]), {"attempts": ["12.10"]}).status_code == 403
    assert _call(client, admin, "PUT", base + "/stages/meet/performances/m200/" + ids[0],
                 {"attempts": ["12.10"]}).status_code == 404  # fmt: skip
    for entry, time in zip(ids, ["12.40", "1:02.35", "12.10", "12.40"], strict=True):
        saved = _call(client, admin, "PUT", performance.format(entry), {"attempts": [time]})
        assert saved.status_code == 200, saved.body
    assert saved.json_body["attempts"] == ["12.40"]
    view = _stage(_call(client, admin, "GET", base).json_body, "meet")
    placings = [(p["entry_id"], p["place"], p["mark"], p["points"]) for p in view["disciplines"][0]["placings"]]
    # Two tied at 12.40 share the points of 2nd and 3rd: (5 + 4) / 2.
    assert placings == [(ids[2], 1, "12.10", "7"), (ids[0], 2, "12.40", "4.5"), (ids[3], 2, "12.40", "4.5"),
                        (ids[1], 4, "1:02.35", "3")]  # fmt: skip
    totals = {line["unit_id"]: (line["rank"], line["points"]) for line in view["units"]}
    assert totals["cs"] == (1, "14.5") and totals["mech"] == (2, "4.5")


def test_an_engine_refusal_reaches_the_organiser_in_words(client, callers, people):
    """The engine's codes are messages: two groups of two cannot send three each on, and the set-up is refused in
    the caller's language, naming the numbers (it used to pass and leave the knockout without its third places,
    ``qualifier_missing`` when the groups closed); three groups of four players cannot be drawn (409)."""
    from chalicelib.i18n import message_text

    admin = callers["unit_admin"]
    event_id = _event(callers, "乒乓球单打", EventKind.SPORTS, EventFormat.TOURNAMENT, people["players"][:4])
    base = f"/events/{event_id}/competition"
    stages = [{**GROUPS_THEN_KNOCKOUT[0], "qualifiers": 3}, GROUPS_THEN_KNOCKOUT[1]]
    setup = {"match_format": "badminton", "tiebreak": "badminton", "stages": stages}
    refused = _call(client, admin, "PUT", base, setup)
    assert (refused.status_code, _problem(refused)) == (400, "qualifiers_exceed_group")
    (problem,) = refused.json_body["error"]["details"]
    assert problem["message"] == "每组取前 3 名出线，但 4 队分成 2 组，最小的一组只有 2 队"
    three_groups = [{**GROUPS_THEN_KNOCKOUT[0], "groups": 3}, GROUPS_THEN_KNOCKOUT[1]]
    assert _call(client, admin, "PUT", base, {**setup, "stages": three_groups}).status_code == 200
    drawn = _call(client, admin, "POST", base + "/stages/groups/draw")
    assert (drawn.status_code, drawn.json_body["error"]["code"]) == (409, "too_few_entries")
    assert drawn.json_body["error"]["message"] == message_text("too_few_entries", "zh")
    english = client.http.request(
        "POST", f"/api{base}/stages/groups/draw", headers=admin.headers(**{"Accept-Language": "en"})
    )
    assert (english.status_code, english.json_body["error"]["code"]) == (409, "too_few_entries")
    assert english.json_body["error"]["message"] == "Too few entries for this format (at least two, and two per group)."
