"""The allocation API through chalice.test.Client: approval, quotas, the lottery's published draw, partners and
teams, with the errors a client sees."""

from __future__ import annotations

import json
from datetime import timedelta

from chalicelib.domain.calendar import now
from chalicelib.domain.lottery import verify_draw
from chalicelib.domain.records import Gender, MemberStatus
from chalicelib.storage import get_store


def _call(client, method, caller, path, body=None):
    headers = caller.headers(**{"Content-Type": "application/json"})
    data = b"" if body is None else json.dumps(body).encode()
    return client.http.request(method, "/api" + path, headers=headers, body=data)


def _event(client, caller, **fields):
    start = now() + timedelta(days=5)
    body = {
        "owner_unit_id": "cs",
        "kind": "sports",
        "format": "tournament",
        "title_zh": "测试活动",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=4)).isoformat(),
        "capacity": 4,
        **fields,
    }
    created = _call(client, "POST", caller, "/events", body)
    assert created.status_code == 201, created.body
    event_id = created.json_body["event_id"]
    assert _call(client, "POST", caller, f"/events/{event_id}/status", {"status": "published"}).status_code == 200
    return created.json_body


def test_approval_through_the_api(client, callers):
    admin, member = callers["unit_admin"], callers["member"]
    event = _event(client, admin, allocation="approval", audience={"scope": "all"})
    assert (event["allocation"], event["pending"]) == ("approval", 0)
    registered = _call(client, "POST", member, f"/events/{event['event_id']}/registrations", {})
    assert (registered.status_code, registered.json_body["state"]) == (201, "pending")
    path = f"/events/{event['event_id']}/registrations/{member.staff_no}"
    missing_reason = _call(client, "POST", admin, path + "/reject", {})
    assert missing_reason.status_code == 400
    assert _call(client, "POST", callers["other_unit_admin"], path + "/approve").status_code == 403
    approved = _call(client, "POST", admin, path + "/approve")
    assert (approved.status_code, approved.json_body["state"]) == (200, "confirmed")
    again = _call(client, "POST", admin, path + "/approve")
    assert (again.status_code, again.json_body["error"]["code"]) == (409, "not_pending")
    assert "已经处理" in again.json_body["error"]["message"]


def test_quotas_through_the_api(client, callers):
    admin = callers["unit_admin"]
    event = _event(client, admin, allocation="approval", capacity=10)
    path = f"/events/{event['event_id']}/quotas"
    both = _call(client, "PUT", admin, path, {"fixed": {"cs": 10}, "proportional": {"minimum": 1}})
    assert both.status_code == 400
    bad_sum = _call(client, "PUT", admin, path, {"fixed": {"cs": 4, "math": 3}})
    assert bad_sum.status_code == 400
    assert bad_sum.json_body["error"]["details"][0]["problem"] == "quota_sum"
    shared = _call(client, "PUT", admin, path, {"proportional": {"minimum": 0}})
    assert shared.status_code == 200, shared.body
    quotas = {u["unit_id"]: u["quota"] for u in shared.json_body["units"]}
    assert sum(quotas.values()) == 10
    other = _call(client, "GET", callers["other_unit_admin"], path)
    assert [u["unit_id"] for u in other.json_body["units"]] == [
        u for u in sorted(quotas) if u in callers_units(callers["other_unit_admin"])
    ]
    assert _call(client, "GET", callers["member"], path).status_code == 403


def callers_units(caller):
    member = get_store().members.get(caller.staff_no)
    return member.admin_units


def test_lottery_commitment_then_published_draw(client, callers):
    admin = callers["union_admin"]
    event = _event(client, admin, owner_unit_id="school", allocation="lottery", capacity=1, format="retreat")
    event_id = event["event_id"]
    commitment = event["lottery_commitment"]
    before = _call(client, "GET", callers["member"], f"/events/{event_id}/draw")
    assert before.json_body == {"commitment": commitment, "drawn_at": None, "draw": None}
    for who in ("member", "unit_admin"):
        registered = _call(client, "POST", callers[who], f"/events/{event_id}/registrations", {})
        assert registered.json_body["state"] == "pending", registered.body
    early = _call(client, "POST", admin, f"/events/{event_id}/draw")
    assert early.json_body["error"]["code"] == "draw_before_close"
    closed = _call(client, "PATCH", admin, f"/events/{event_id}", {"registration_closes_at": now().isoformat()})
    assert closed.status_code == 200, closed.body
    drawn = _call(client, "POST", admin, f"/events/{event_id}/draw")
    assert drawn.json_body == {"applicants": 2, "winners": 1, "waiting": 1}
    after = _call(client, "GET", callers["member"], f"/events/{event_id}/draw").json_body
    assert verify_draw(after["draw"], expected_commitment=commitment) == []
    assert _call(client, "GET", callers["anonymous"], f"/events/{event_id}/draw").status_code == 401
    assert _call(client, "POST", admin, f"/events/{event_id}/draw").status_code == 409


def test_partner_invitation_through_the_api(client, callers):
    admin, member = callers["unit_admin"], callers["member"]
    me = get_store().members.get(member.staff_no)
    partner = next(
        m
        for m in get_store().members.in_unit(me.unit_id)
        if m.gender is not me.gender and m.status is MemberStatus.ACTIVE
    )
    event = _event(client, admin, entry_type="pair", pair_rule={"gender": "mixed"})
    path = f"/events/{event['event_id']}/registrations"
    no_partner = _call(client, "POST", member, path, {})
    assert no_partner.status_code == 400
    assert no_partner.json_body["error"]["details"][0]["field"] == "partner"
    same_gender = next(m for m in get_store().members.in_unit(me.unit_id) if m.gender is me.gender and m != me)
    wrong = _call(client, "POST", member, path, {"partner": same_gender.staff_no})
    assert wrong.json_body["error"]["details"][0]["problem"] == "partner_mixed"
    invited = _call(client, "POST", member, path, {"partner": partner.staff_no})
    assert (invited.status_code, invited.json_body["state"]) == (201, "awaiting_partner")
    assert invited.json_body["partner"] == partner.staff_no
    # The invitation cannot be answered by anyone else.
    nobody = _call(client, "POST", callers["unit_admin"], f"/me/registrations/{event['event_id']}/partner")
    assert nobody.status_code == 404


def test_teams_through_the_api(client, callers):
    admin = callers["unit_admin"]
    cs = [
        m
        for m in get_store().members.in_unit("cs")
        if m.status is MemberStatus.ACTIVE and m.staff_no not in {c.staff_no for c in callers.values()}
    ]
    women = [m for m in cs if m.gender is Gender.FEMALE]
    men = [m for m in cs if m.gender is Gender.MALE]
    event = _event(
        client, admin, entry_type="team", team_rule={"min_size": 2, "max_size": 3, "min_women": 1, "teams_per_unit": 2}
    )
    path = f"/events/{event['event_id']}/teams"
    no_women = _call(
        client, "POST", admin, path, {"unit_id": "cs", "name": "一队", "roster": [m.staff_no for m in men[:2]]}
    )
    assert no_women.status_code == 400
    assert no_women.json_body["error"]["details"][0]["problem"] == "roster_min_women"
    roster = [women[0].staff_no, men[0].staff_no]
    entered = _call(client, "POST", admin, path, {"unit_id": "cs", "name": "一队", "roster": roster})
    assert entered.status_code == 201, entered.body
    team = entered.json_body
    twice = _call(
        client, "POST", admin, path, {"unit_id": "cs", "name": "二队", "roster": [women[1].staff_no, men[0].staff_no]}
    )
    assert (twice.status_code, twice.json_body["error"]["code"]) == (409, "member_already_entered")
    other = _call(client, "POST", callers["other_unit_admin"], path, {"unit_id": "cs", "name": "x", "roster": roster})
    assert other.status_code == 403
    changed = _call(
        client,
        "PUT",
        admin,
        f"{path}/{team['team_id']}",
        {"roster": [women[0].staff_no, men[1].staff_no], "version": team["version"]},
    )
    assert (changed.status_code, changed.json_body["version"]) == (200, 1)
    stale = _call(client, "PUT", admin, f"{path}/{team['team_id']}", {"roster": roster, "version": 0})
    assert stale.json_body["error"]["code"] == "team_changed_meanwhile"
    listed = _call(client, "GET", callers["union_admin"], path).json_body["teams"]
    assert [t["team_id"] for t in listed] == [team["team_id"]]
    assert _call(client, "GET", callers["other_unit_admin"], path).json_body["teams"] == []
