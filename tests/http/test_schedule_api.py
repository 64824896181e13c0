"""The timetable API through the test client (chalicelib/api/schedule.py): the venue checked at the edge and by
the engine, the scheduler run, moves flagged, played matches never moved, organisers of the event only."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.records import EventFormat, EventKind
from tests.http.test_competition_api import GROUPS_THEN_KNOCKOUT, WIN, _call, _event, _problem, people  # noqa: F401


def _venue(day):
    start = day.replace(hour=8, minute=0, second=0, microsecond=0)
    return {
        "courts": [
            {"court_id": "c1", "name_zh": "1号场", "name_en": "Court 1"},
            {"court_id": "c2", "name_zh": "2号场"},
        ],
        "sessions": [{"start": start.isoformat(), "end": (start + timedelta(hours=10)).isoformat()}],
        "slot_minutes": 40,
        "rest_minutes": 10,
        "together": True,
    }


def test_the_timetable_from_venue_to_moves(client, callers, people):  # noqa: F811
    admin, member, other_admin, anonymous = (callers[name] for name in
                                             ("unit_admin", "member", "other_unit_admin", "anonymous"))  # fmt: skip
    event_id = _event(callers, "羽毛球单打（赛程）", EventKind.SPORTS, EventFormat.TOURNAMENT, people["players"])
    base = f"/events/{event_id}/competition"
    setup = {"match_format": "badminton", "tiebreak": "badminton", "stages": GROUPS_THEN_KNOCKOUT}
    assert _call(client, admin, "PUT", base, setup).status_code == 200
    assert _call(client, admin, "POST", base + "/stages/groups/draw").status_code == 200

    before = _call(client, admin, "GET", base + "/timetable")
    assert before.status_code == 200 and before.json_body["venue"] is None
    assert {u["reason"] for u in before.json_body["unplaced"]} == {"schedule_no_venue"}
    assert _call(client, admin, "GET", base + "/venue").json_body["error"]["code"] == "schedule_no_venue"
    assert _call(client, admin, "POST", base + "/schedule").json_body["error"]["code"] == "schedule_no_venue"

    day = (now() + timedelta(days=7)).astimezone(CHINA_TZ)
    venue = _venue(day)
    # organisers of the event only
    for caller, status in ((member, 403), (other_admin, 403), (anonymous, 401)):
        assert _call(client, caller, "PUT", base + "/venue", venue).status_code == status
        assert _call(client, caller, "GET", base + "/timetable").status_code == status
        assert _call(client, caller, "POST", base + "/schedule").status_code == status
    # refused at the edge and by the engine, never a 500
    unknown = _call(client, admin, "PUT", base + "/venue", {**venue, "courts_count": 2})
    assert (unknown.status_code, _problem(unknown)) == (400, "extra_forbidden")
    backwards = {**venue, "sessions": [{"start": venue["sessions"][0]["end"], "end": venue["sessions"][0]["start"]}]}
    assert _call(client, admin, "PUT", base + "/venue", backwards).status_code == 400
    no_stage = _call(
        client, admin, "PUT", base + "/venue", {**venue, "stage_minutes": [{"stage_id": "x", "minutes": 30}]}
    )
    assert (no_stage.status_code, _problem(no_stage)) == (400, "unknown_stage")
    saved = _call(client, admin, "PUT", base + "/venue", venue)
    assert saved.status_code == 200, saved.body
    assert [c["court_id"] for c in saved.json_body["courts"]] == ["c1", "c2"]
    assert _call(client, admin, "GET", base + "/venue").json_body == saved.json_body

    scheduled = _call(client, admin, "POST", base + "/schedule")
    assert scheduled.status_code == 200, scheduled.body
    body = scheduled.json_body
    assert len(body["rows"]) == 12 and body["unplaced"] == [] and body["conflicts"] == []
    first, second = body["rows"][0], body["rows"][1]
    assert first["court"] in ("c1", "c2") and first["court_name"].endswith("号场") and first["home"]["name"]
    # the public competition shows the court and time
    shown = _call(client, admin, "GET", base).json_body
    match = next(m for m in next(s for s in shown["stages"] if s["stage_id"] == "groups")["matches"]
                 if m["match_id"] == first["match_id"])  # fmt: skip
    assert match.get("court") == first["court_name"], match

    moved = _call(client, admin, "POST", base + "/schedule/move",
                  {"match": second["key"], "court": first["court"], "starts_at": first["starts_at"]})  # fmt: skip
    assert moved.status_code == 200, moved.body
    kinds = {c["kind"] for c in moved.json_body["conflicts"]}
    assert "schedule_court_double_booked" in kinds
    row = next(r for r in moved.json_body["rows"] if r["key"] == second["key"])
    assert row["locked"] and "schedule_court_double_booked" in row["conflicts"]
    bad_court = _call(client, admin, "POST", base + "/schedule/move",
                      {"match": second["key"], "court": "c9", "starts_at": first["starts_at"]})  # fmt: skip
    assert (bad_court.status_code, _problem(bad_court)) == (400, "unknown_court")
    for far in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:00-12:00"):
        out_of_range = _call(client, admin, "POST", base + "/schedule/move",
                             {"match": second["key"], "court": "c1", "starts_at": far})  # fmt: skip
        assert out_of_range.status_code == 400, out_of_range.body
    too_late = _call(client, admin, "POST", base + "/schedule/postpone", {"match": second["key"], "to": "2300-01-01"})
    assert too_late.status_code == 400, too_late.body
    old_session = {**venue, "sessions": [{"start": "1999-05-01T08:00:00+08:00", "end": "1999-05-01T12:00:00+08:00"}]}
    assert _call(client, admin, "PUT", base + "/venue", old_session).status_code == 400
    naive = _call(client, admin, "POST", base + "/schedule/move",
                  {"match": second["key"], "court": "c1", "starts_at": "2031-01-01T09:00:00"})  # fmt: skip
    assert naive.status_code == 400
    unknown_match = _call(client, admin, "POST", base + "/schedule/lock", {"match": "groups/Z9-9", "locked": True})
    assert unknown_match.status_code == 404
    third = body["rows"][2]
    assert _call(client, admin, "POST", base + "/schedule/swap", {"first": second["key"], "second": third["key"]}
                 ).status_code == 200  # fmt: skip
    assert _call(client, admin, "POST", base + "/schedule/lock", {"match": third["key"], "locked": False}
                 ).status_code == 200  # fmt: skip
    postponed = _call(client, admin, "POST", base + "/schedule/postpone",
                      {"match": third["key"], "to": (day + timedelta(days=1)).date().isoformat()})  # fmt: skip
    assert {"key": third["key"], "reason": "schedule_postponed"} in postponed.json_body["unplaced"]
    gone = _call(client, admin, "POST", base + "/schedule/unschedule", {"match": third["key"]})
    assert {"key": third["key"], "reason": "schedule_not_scheduled"} in gone.json_body["unplaced"]

    # a played match is never moved, and says so in either language
    played = _call(client, admin, "PUT", f"{base}/stages/groups/matches/{first['match_id']}/result", WIN)
    assert played.status_code == 200, played.body
    refused = _call(client, admin, "POST", base + "/schedule/move",
                    {"match": first["key"], "court": "c2", "starts_at": first["starts_at"]})  # fmt: skip
    assert (refused.status_code, refused.json_body["error"]["code"]) == (409, "schedule_match_played")
    assert refused.json_body["error"]["message"]
