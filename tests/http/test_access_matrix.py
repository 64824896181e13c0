"""Every API route × every kind of caller: allowed or denied exactly as the policy says.

The table below must name every route of the API. A new route that is not added here fails
``test_every_route_is_in_the_matrix``; a route cannot even be declared without an access level.
"""

import json

import pytest

from chalicelib.api import API_PREFIX, api_route_groups
from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.ids import sortable_id
from chalicelib.domain.records import SCHOOL_UNIT_ID, MemberStatus
from chalicelib.services import competition as competition_service
from chalicelib.storage import get_store

ANON, MEMBER, UNIT_ADMIN, OTHER_ADMIN, UNION_ADMIN = (
    "anonymous",
    "member",
    "unit_admin",
    "other_unit_admin",
    "union_admin",
)
EVERYONE = {ANON, MEMBER, UNIT_ADMIN, OTHER_ADMIN, UNION_ADMIN}
SIGNED_IN = EVERYONE - {ANON}

# (method, path) -> who gets past the policy. Paths use the computer-science unit ("cs") and one of its members
# who is none of the callers. Bodies are empty: a caller who is let in then fails validation (400), which still
# shows the policy let them in; a caller who is kept out gets 401 or 403 before the body is read.
MATRIX = {
    ("GET", "/health"): EVERYONE,
    ("GET", "/openapi.json"): EVERYONE,
    ("POST", "/auth/sign-in"): EVERYONE,
    ("POST", "/auth/activate"): EVERYONE,
    ("POST", "/auth/sign-out"): EVERYONE,
    ("POST", "/auth/sign-out-everywhere"): SIGNED_IN,
    ("GET", "/me"): SIGNED_IN,
    ("POST", "/me/password"): SIGNED_IN,
    ("GET", "/units"): SIGNED_IN,
    ("POST", "/units"): {UNION_ADMIN},
    ("PATCH", "/units/{unit_id}"): {UNION_ADMIN},
    ("PUT", "/units/{unit_id}/admins"): {UNION_ADMIN},
    ("GET", "/units/{unit_id}/members"): {UNIT_ADMIN, UNION_ADMIN},
    ("GET", "/members/{staff_no}"): {UNIT_ADMIN, UNION_ADMIN},
    # A member's year (issue 21 item 3): their own for everyone signed in; a cs member's for cs's and the union's
    # admins.
    ("GET", "/me/year/{year}"): SIGNED_IN,
    ("GET", "/members/{staff_no}/year/{year}"): {UNIT_ADMIN, UNION_ADMIN},
    ("PATCH", "/members/{staff_no}"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/units/{unit_id}/activation-codes"): {UNIT_ADMIN, UNION_ADMIN},
    # Any unit admin may start an import; whether each row's unit is theirs is checked per file (see below).
    ("POST", "/roster/imports"): {UNIT_ADMIN, OTHER_ADMIN, UNION_ADMIN},
    ("GET", "/audit"): {UNIT_ADMIN, UNION_ADMIN},
    # Events: {event_id} is a published event of the cs unit.
    ("GET", "/events"): EVERYONE,
    ("GET", "/events/archive"): EVERYONE,
    ("GET", "/events/{event_id}"): EVERYONE,
    # Any unit admin may post an event; whether its owner unit is theirs is checked on the (valid) body.
    ("POST", "/events"): {UNIT_ADMIN, OTHER_ADMIN, UNION_ADMIN},
    ("GET", "/units/{unit_id}/events"): {UNIT_ADMIN, UNION_ADMIN},
    ("PATCH", "/events/{event_id}"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/status"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/registrations"): SIGNED_IN,
    ("GET", "/events/{event_id}/registrations"): {UNIT_ADMIN, UNION_ADMIN},
    ("PUT", "/events/{event_id}/registrations/{staff_no}"): {UNIT_ADMIN, UNION_ADMIN},
    ("DELETE", "/events/{event_id}/registrations/{staff_no}"): {UNIT_ADMIN, UNION_ADMIN},
    ("GET", "/events/{event_id}/units-summary"): {UNIT_ADMIN, UNION_ADMIN},
    ("GET", "/events/{event_id}/export"): {UNIT_ADMIN, UNION_ADMIN},
    ("GET", "/me/registrations"): SIGNED_IN,
    ("DELETE", "/me/registrations/{event_id}"): SIGNED_IN,
    ("GET", "/me/notifications"): SIGNED_IN,
    ("GET", "/me/notify-settings"): SIGNED_IN,
    ("PUT", "/me/notify-settings"): SIGNED_IN,
    # Allocation: {event_id} is first-come and individual, so callers let in meet a 409 for the wrong kind of event.
    ("POST", "/events/{event_id}/registrations/{staff_no}/approve"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/registrations/{staff_no}/reject"): {UNIT_ADMIN, UNION_ADMIN},
    ("PUT", "/events/{event_id}/quotas"): {UNIT_ADMIN, UNION_ADMIN},
    # Any unit admin sees their own units' share of an event's places (none here).
    ("GET", "/events/{event_id}/quotas"): {UNIT_ADMIN, OTHER_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/draw"): {UNIT_ADMIN, UNION_ADMIN},
    ("GET", "/events/{event_id}/draw"): SIGNED_IN,
    ("POST", "/me/registrations/{event_id}/partner"): SIGNED_IN,
    ("DELETE", "/me/registrations/{event_id}/partner"): SIGNED_IN,
    ("GET", "/events/{event_id}/teams"): SIGNED_IN,
    ("POST", "/events/{event_id}/teams"): {UNIT_ADMIN, UNION_ADMIN},
    # A team's captain (a member) edits its roster; the team decides who may (see test_allocation_api).
    ("PUT", "/events/{event_id}/teams/{team_id}"): SIGNED_IN,
    ("DELETE", "/events/{event_id}/teams/{team_id}"): {UNIT_ADMIN, OTHER_ADMIN, UNION_ADMIN},
    # Check-in: the event's organisers (and named check-in staff, none here) scan; members see their own tickets.
    ("GET", "/me/tickets/{event_id}/{scope}"): SIGNED_IN,
    ("GET", "/me/tickets/{event_id}/{scope}/qr"): SIGNED_IN,
    ("POST", "/me/tickets/{event_id}/{scope}/replace"): SIGNED_IN,
    ("POST", "/events/{event_id}/checkin"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/checkin/upload"): {UNIT_ADMIN, UNION_ADMIN},
    ("GET", "/events/{event_id}/checkin/list"): {UNIT_ADMIN, UNION_ADMIN},
    ("GET", "/events/{event_id}/checkin/count"): {UNIT_ADMIN, UNION_ADMIN},
    ("GET", "/events/{event_id}/checkin/lookup"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/checkin/undo"): {UNIT_ADMIN, UNION_ADMIN},
    ("GET", "/events/{event_id}/checkin/venue-code"): {UNIT_ADMIN, UNION_ADMIN},
    ("GET", "/events/{event_id}/checkin/wechat-config"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/checkin/venue"): SIGNED_IN,
    ("GET", "/events/{event_id}/checkin/staff"): {UNIT_ADMIN, UNION_ADMIN},
    ("PUT", "/events/{event_id}/checkin/staff"): {UNIT_ADMIN, UNION_ADMIN},
    ("DELETE", "/events/{event_id}/checkin/staff/{staff_no}"): {UNIT_ADMIN, UNION_ADMIN},
    ("GET", "/events/{event_id}/checkin/settings"): {UNIT_ADMIN, UNION_ADMIN},
    ("PUT", "/events/{event_id}/checkin/settings"): {UNIT_ADMIN, UNION_ADMIN},
    # Any unit admin sees their own units' members' attendance (none here).
    ("GET", "/events/{event_id}/attendance"): {UNIT_ADMIN, OTHER_ADMIN, UNION_ADMIN},
    ("GET", "/events/{event_id}/attendance/export"): {UNIT_ADMIN, OTHER_ADMIN, UNION_ADMIN},
    ("GET", "/me/attendance"): SIGNED_IN,
    # Competition: {event_id} has one set up and unpublished (see cs_competition). Anyone may ask for it (others
    # than its organisers and officials then get a 404 from the service); referees and judges are plain members
    # named for the event (none of the callers here), so the service, not the route, answers their 403.
    ("GET", "/events/{event_id}/competition"): EVERYONE,
    ("PUT", "/events/{event_id}/competition"): {UNIT_ADMIN, UNION_ADMIN},
    ("PUT", "/events/{event_id}/competition/seeds"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/competition/stages/{stage_id}/draw"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/competition/stages/{stage_id}/open"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/competition/stages/{stage_id}/close"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/competition/stages/{stage_id}/next-round"): {UNIT_ADMIN, UNION_ADMIN},
    # Fair judging (issue 19 item 8): the order of appearance and the hall screen's reveals are the organisers'; the
    # hall screen's data follows the competition's visibility (the service answers 404 to others while unpublished).
    ("POST", "/events/{event_id}/competition/stages/{stage_id}/order"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/competition/stages/{stage_id}/reveal"): {UNIT_ADMIN, UNION_ADMIN},
    ("GET", "/events/{event_id}/competition/stages/{stage_id}/hall"): EVERYONE,
    ("POST", "/events/{event_id}/competition/publish"): {UNIT_ADMIN, UNION_ADMIN},
    # Rounds of a meet's discipline (issue 19 item 2): start lists, results and the programme follow the
    # competition's visibility; drawing and closing a round are the organisers', marks the organisers' and referees'.
    ("GET", "/events/{event_id}/competition/programme"): EVERYONE,
    ("GET", "/events/{event_id}/competition/stages/{stage_id}/disciplines/{discipline}/rounds"): EVERYONE,
    ("POST", "/events/{event_id}/competition/stages/{stage_id}/disciplines/{discipline}/rounds/draw"): {
        UNIT_ADMIN,
        UNION_ADMIN,
    },
    ("PUT", "/events/{event_id}/competition/stages/{stage_id}/disciplines/{discipline}/rounds/marks"): {
        UNIT_ADMIN,
        UNION_ADMIN,
    },
    ("POST", "/events/{event_id}/competition/stages/{stage_id}/disciplines/{discipline}/rounds/close"): {
        UNIT_ADMIN,
        UNION_ADMIN,
    },
    # A meet set up from its registrations (issue 19 item 1): the event's organisers.
    ("GET", "/events/{event_id}/competition/meet-entries"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/competition/meet-entries"): {UNIT_ADMIN, UNION_ADMIN},
    ("PUT", "/events/{event_id}/competition/stages/{stage_id}/matches/{match_id}/result"): {UNIT_ADMIN, UNION_ADMIN},
    ("GET", "/events/{event_id}/competition/stages/{stage_id}/judging"): set(),
    ("PUT", "/events/{event_id}/competition/stages/{stage_id}/marks/{entry_id}"): set(),
    ("PUT", "/events/{event_id}/competition/stages/{stage_id}/performances/{discipline}/{entry_id}"): {
        UNIT_ADMIN,
        UNION_ADMIN,
    },
    ("GET", "/events/{event_id}/competition/officials"): {UNIT_ADMIN, UNION_ADMIN},
    ("PUT", "/events/{event_id}/competition/officials"): {UNIT_ADMIN, UNION_ADMIN},
    ("DELETE", "/events/{event_id}/competition/officials/{staff_no}/{role}"): {UNIT_ADMIN, UNION_ADMIN},
    # Line-ups of team ties: anyone may ask (the service shows what the visibility rule allows, 404 for a competition
    # not published or a match that is no team tie); any member may submit as far as the route goes, and the service
    # answers 403 to whoever is not the team's captain, an admin of its unit or an organiser (tests/http/test_lineups).
    ("GET", "/events/{event_id}/competition/stages/{stage_id}/matches/{match_id}/lineups"): EVERYONE,
    ("PUT", "/events/{event_id}/competition/stages/{stage_id}/matches/{match_id}/lineups/{side}"): SIGNED_IN,
    # The timetable: the event's organisers only.
    ("GET", "/events/{event_id}/competition/timetable"): {UNIT_ADMIN, UNION_ADMIN},
    ("GET", "/events/{event_id}/competition/venue"): {UNIT_ADMIN, UNION_ADMIN},
    ("PUT", "/events/{event_id}/competition/venue"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/competition/schedule"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/competition/schedule/move"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/competition/schedule/swap"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/competition/schedule/lock"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/competition/schedule/postpone"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/competition/schedule/unschedule"): {UNIT_ADMIN, UNION_ADMIN},
    # Organiser messages (issue 20 item 4): an event's organisers, a unit's admins, the whole union's admins; the
    # service answers another unit's admin 403 (chalicelib.domain.organiser_messages.may_message).
    ("POST", "/events/{event_id}/messages/preview"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/events/{event_id}/messages"): {UNIT_ADMIN, UNION_ADMIN},
    ("GET", "/events/{event_id}/messages"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/units/{unit_id}/messages/preview"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/units/{unit_id}/messages"): {UNIT_ADMIN, UNION_ADMIN},
    ("GET", "/units/{unit_id}/messages"): {UNIT_ADMIN, UNION_ADMIN},
    ("POST", "/union/messages/preview"): {UNION_ADMIN},
    ("POST", "/union/messages"): {UNION_ADMIN},
    ("GET", "/union/messages"): {UNION_ADMIN},
    # The year's numbers (issue 21 item 2): asked for cs, its admin and the union's; another unit's admin gets 403.
    ("GET", "/reports/{year}"): {UNIT_ADMIN, UNION_ADMIN},
}
QUERIES = {
    "/audit": "?unit_id=cs",
    "/reports/{year}": "?unit=cs",
    "/events/{event_id}/registrations/{staff_no}": "?reason=test",
    "/events/{event_id}/checkin/list": "?point=entry",
    "/events/{event_id}/checkin/count": "?point=entry",
    "/events/{event_id}/checkin/lookup": "?point=entry&q=x",
    "/events/{event_id}/checkin/venue-code": "?point=entry",
    "/events/{event_id}/checkin/wechat-config": "?url=https%3A%2F%2Funion.example.edu.cn%2F",
}
# A message id as a preview gives it (organiser messages refuse one older than a day).
_MESSAGE_ID = sortable_id("om-")
_SCAN = {"point": "entry", "scan_id": "matrix-0001", "code": "x"}
# A valid body, so that a caller let in by the route's access level meets the resource-level check.
BODIES = {
    ("POST", "/events/{event_id}/status"): {"status": "registration_open"},
    ("POST", "/events/{event_id}/registrations/{staff_no}/reject"): {"reason": "test"},
    ("PUT", "/events/{event_id}/quotas"): {"fixed": {"cs": 1}},
    ("POST", "/events/{event_id}/teams"): {"unit_id": "cs", "name": "test", "roster": ["X"]},
    ("PUT", "/events/{event_id}/teams/{team_id}"): {"roster": ["X"]},
    ("POST", "/events/{event_id}/checkin"): _SCAN,
    ("POST", "/events/{event_id}/checkin/upload"): {"scans": [{**_SCAN, "at": "2026-11-21T10:00:00+08:00"}]},
    ("POST", "/checkin/venue"): {"code": "x", "scan_id": "matrix-0001"},
    ("POST", "/events/{event_id}/checkin/undo"): {"point": "entry", "staff_no": "NOBODY", "reason": "matrix"},
    ("PUT", "/events/{event_id}/checkin/staff"): {"staff_no": "NOBODY"},
    ("PUT", "/events/{event_id}/competition"): {
        "stages": [{"stage_id": "main", "kind": "single_elimination", "name_zh": "淘汰赛"}]
    },
    ("PUT", "/events/{event_id}/competition/seeds"): {"seeds": {}},
    ("POST", "/events/{event_id}/competition/publish"): {"published": False},
    ("POST", "/events/{event_id}/competition/meet-entries"): {"version": 1},
    ("POST", "/events/{event_id}/competition/stages/{stage_id}/reveal"): {"number": 1},
    ("POST", "/events/{event_id}/competition/stages/{stage_id}/disciplines/{discipline}/rounds/draw"): {"round": "h"},
    ("PUT", "/events/{event_id}/competition/stages/{stage_id}/disciplines/{discipline}/rounds/marks"): {
        "round": "h",
        "entry_id": "NOBODY",
        "attempts": ["12.34"],
    },
    ("POST", "/events/{event_id}/competition/stages/{stage_id}/disciplines/{discipline}/rounds/close"): {"round": "h"},
    ("PUT", "/events/{event_id}/competition/stages/{stage_id}/matches/{match_id}/result"): {
        "games": [[21, 15], [21, 18]]
    },
    ("PUT", "/events/{event_id}/competition/stages/{stage_id}/marks/{entry_id}"): {"marks": {"total": 80}},
    ("PUT", "/events/{event_id}/competition/stages/{stage_id}/performances/{discipline}/{entry_id}"): {
        "attempts": ["12.34"]
    },
    ("PUT", "/events/{event_id}/competition/officials"): {"staff_no": "NOBODY", "role": "referee"},
    ("PUT", "/events/{event_id}/competition/stages/{stage_id}/matches/{match_id}/lineups/{side}"): {
        "players": {"MD": ["NOBODY"]}
    },
    ("PUT", "/events/{event_id}/competition/venue"): {
        "courts": [{"court_id": "c1", "name_zh": "1号场"}],
        "sessions": [{"start": "2026-11-21T08:00:00+08:00", "end": "2026-11-21T12:00:00+08:00"}],
    },
    ("POST", "/events/{event_id}/competition/schedule/move"): {
        "match": "main/W1-1",
        "court": "c1",
        "starts_at": "2026-11-21T09:00:00+08:00",
    },
    ("POST", "/events/{event_id}/competition/schedule/swap"): {"first": "main/W1-1", "second": "main/W1-2"},
    ("POST", "/events/{event_id}/competition/schedule/lock"): {"match": "main/W1-1", "locked": True},
    ("POST", "/events/{event_id}/competition/schedule/postpone"): {"match": "main/W1-1", "to": "2026-11-28"},
    ("POST", "/events/{event_id}/competition/schedule/unschedule"): {"match": "main/W1-1"},
    ("POST", "/events/{event_id}/messages/preview"): {"audience": "confirmed", "text": "测试"},
    ("POST", "/events/{event_id}/messages"): {"audience": "confirmed", "text": "测试", "message_id": _MESSAGE_ID},
    ("POST", "/units/{unit_id}/messages/preview"): {"text": "测试"},
    ("POST", "/units/{unit_id}/messages"): {"text": "测试", "message_id": _MESSAGE_ID},
}
CONTENT_TYPES = {"/roster/imports": "text/csv"}


def _operations():
    return {(op.method, op.path) for group in api_route_groups() for op in group.operations}


def test_every_route_is_in_the_matrix():
    assert _operations() == set(MATRIX)


@pytest.fixture(scope="module")
def subject(demo_union, callers):
    """A cs member who is none of the callers."""
    taken = {c.staff_no for c in callers.values()}
    return next(
        m
        for m in demo_union.members
        if m.unit_id == "cs" and m.staff_no not in taken and m.status is MemberStatus.ACTIVE
    )


@pytest.fixture(scope="module")
def cs_event(demo_union):
    return next(e for e in demo_union.events if e.owner_unit_id == "cs" and e.status.value != "draft")


@pytest.fixture(scope="module")
def cs_competition(callers, cs_event) -> str:
    """The event's competition (set up here unless the demo has one); returns its first stage's id."""
    store = get_store()
    organiser = Principal(staff_no=callers[UNION_ADMIN].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    if store.competitions.get(cs_event.event_id) is None:
        setup = {"stages": [{"stage_id": "main", "kind": "single_elimination", "name_zh": "淘汰赛"}]}
        competition_service.configure(store, organiser, cs_event.event_id, setup, now())
    return competition_service.view(store, organiser, cs_event.event_id).competition.stages[0].stage_id


# Routes that end the caller's sessions: the caller signs in again after them, so that later cases keep a live token.
SESSION_ENDING = {("POST", "/auth/sign-out"), ("POST", "/auth/sign-out-everywhere")}


def _signed_in_again(demo_union, caller):
    from chalicelib.services.accounts import sign_in
    from chalicelib.settings import get_settings

    account = next(a for a in demo_union.accounts if a.staff_no == caller.staff_no)
    session = sign_in(get_store(), get_settings(), account.staff_no, account.password, "10.0.0.1")
    return type(caller)(caller.name, caller.staff_no, session.token)


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX))
@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_route_admits_exactly_its_callers(
    client, demo_union, callers, subject, cs_event, cs_competition, method, path, who
):
    target = path.format(
        unit_id="cs",
        staff_no=subject.staff_no,
        event_id=cs_event.event_id,
        team_id="tm-none",
        scope="series",
        stage_id=cs_competition,
        match_id="W1-1",
        entry_id=subject.staff_no,
        discipline="m100",
        role="referee",
        side="home",
        year=2026,
    )
    url = API_PREFIX + target + QUERIES.get(path, "")
    headers = callers[who].headers(**{"Content-Type": CONTENT_TYPES.get(path, "application/json")})
    body = json.dumps(BODIES.get((method, path), {})).encode() if method not in ("GET", "DELETE") else b""
    response = client.http.request(method, url, headers=headers, body=body)
    if (method, path) in SESSION_ENDING and callers[who].token:
        callers[who] = _signed_in_again(demo_union, callers[who])
    assert response.status_code != 500, response.body
    allowed = response.status_code not in (401, 403)
    assert allowed == (who in MATRIX[(method, path)]), (who, method, path, response.status_code, response.body)


def test_denials_say_why(client, callers, subject):
    anonymous = client.http.get(f"/api/members/{subject.staff_no}")
    assert anonymous.status_code == 401 and anonymous.json_body["error"]["code"] == "unauthenticated"
    member = client.http.get(f"/api/members/{subject.staff_no}", headers=callers[MEMBER].headers())
    assert member.status_code == 403 and member.json_body["error"]["code"] == "forbidden"
    assert json.loads(member.body)["error"]["message"] == "您没有权限进行此操作。"
