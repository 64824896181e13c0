"""Organiser pages of allocation: approving and rejecting, the lottery draw, unit quotas, teams (entered by unit
admins, changed by captains), unit admins entering their own members, and the event form's allocation fields.

Events are made through the services (not the demo loader), each test its own."""

import re

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import (
    SCHOOL_UNIT_ID,
    SERIES,
    Allocation,
    Audience,
    AudienceRule,
    EntryType,
    EventFormat,
    EventKind,
    EventStatus,
    Gender,
    MemberStatus,
    RegistrationState,
    TeamRule,
    TeamState,
)
from chalicelib.services import events as event_service
from chalicelib.services import registration as registration_service
from chalicelib.storage import get_store
from tests.factories import published_event
from tests.http.browsing import china_day, create_event_by_form, get_page, header, local_input, post_form

# ---- helpers ------------------------------------------------------------------------------------------------------


def _html(response):
    return response.body.decode()


@pytest.fixture(scope="module")
def admins(callers):
    """The principals the services see for the signed-in organisers."""
    return {
        "union": Principal(staff_no=callers["union_admin"].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True),
        "cs": Principal(staff_no=callers["unit_admin"].staff_no, unit_id="cs", admin_of=frozenset({"cs"})),
    }


def _event(organiser, *, owner="cs", capacity=10, title="分配测试", **extra):
    """A published event made through the services."""
    fields = {"owner_unit_id": owner, "kind": EventKind.SPORTS, "format": EventFormat.TOURNAMENT, "title_zh": title}
    return published_event(organiser, days=30, hours=4, capacity=capacity, **fields, **extra)


def _spare(demo_union, unit_id, count, gender=None, skip=0):
    """Active members of the unit without a demo account (of one gender if asked)."""
    taken = {account.staff_no for account in demo_union.accounts}
    found = [
        m
        for m in demo_union.members
        if m.unit_id == unit_id
        and m.status is MemberStatus.ACTIVE
        and m.staff_no not in taken
        and (gender is None or m.gender is gender)
    ]
    assert len(found) >= skip + count
    return found[skip : skip + count]


def _apply(event, member):
    principal = Principal(staff_no=member.staff_no, unit_id=member.unit_id)
    return registration_service.register(get_store(), principal, event.event_id, SERIES, {}, now()).registration


def _state(event, member):
    return get_store().registrations.get(event.event_id, SERIES, member.staff_no)


# ---- approval -------------------------------------------------------------------------------------------------


def test_approve_and_reject_from_the_registrations_page(client, demo_union, callers, admins):
    admin = callers["unit_admin"]
    event = _event(admins["cs"], capacity=1, allocation=Allocation.APPROVAL, title="审核制讲座")
    first, second, third = _spare(demo_union, "cs", 3)
    for member in (first, second, third):
        assert _apply(event, member).state is RegistrationState.PENDING
    base = f"/admin/events/{event.event_id}/registrations"

    html = _html(get_page(client, base, admin))
    assert "待审核" in html and "审核制" in html and "待定 3 人" in html
    assert html.count(f'action="{base}/approve"') == 3 and html.count(f'action="{base}/reject"') == 3
    assert f'action="{base}/remove"' not in html  # a pending application is rejected, with a reason

    approved = post_form(client, base + "/approve", admin, {"staff_no": first.staff_no})
    assert approved.status_code == 303 and header(approved, "Location").endswith("/registrations?done=approved")
    assert _state(event, first).state is RegistrationState.CONFIRMED
    assert "已审核通过" in _html(get_page(client, base + "?done=approved", admin))

    no_reason = post_form(client, base + "/reject", admin, {"staff_no": second.staff_no, "reason": "  "})
    assert no_reason.status_code == 400 and "请填写拒绝原因" in _html(no_reason)
    assert _state(event, second).state is RegistrationState.PENDING

    rejected = post_form(client, base + "/reject", admin, {"staff_no": second.staff_no, "reason": "不符合参加条件"})
    assert rejected.status_code == 303 and header(rejected, "Location").endswith("?done=rejected")
    registration = _state(event, second)
    assert (registration.state, registration.reason) == (RegistrationState.REJECTED, "不符合参加条件")
    html = _html(get_page(client, base + "?state=rejected", admin))
    assert "未通过原因：不符合参加条件" in html and second.staff_no in html and first.staff_no not in html

    # The one place is taken: approving the third is refused in words, and nothing changes.
    full = post_form(client, base + "/approve", admin, {"staff_no": third.staff_no})
    assert full.status_code == 409 and "名额已满" in _html(full) and "报名名单" in _html(full)
    assert _state(event, third).state is RegistrationState.PENDING
    twice = post_form(client, base + "/approve", admin, {"staff_no": first.staff_no})
    assert twice.status_code == 409 and "这条报名已经处理过了" in _html(twice)
    fresh = get_store().events.get(event.event_id, consistent=True)
    assert (fresh.confirmed_count, fresh.pending_count) == (1, 1)

    # Another unit's admin may not decide on this event's registrations.
    other = post_form(client, base + "/approve", callers["other_unit_admin"], {"staff_no": third.staff_no})
    assert other.status_code == 403 and _state(event, third).state is RegistrationState.PENDING


# ---- quotas ---------------------------------------------------------------------------------------------------


def test_quotas_are_set_on_the_page_and_each_unit_admin_sees_their_own(client, demo_union, callers, admins):
    admin, hospital_admin = callers["unit_admin"], callers["other_unit_admin"]
    event = _event(admins["cs"], capacity=6, allocation=Allocation.APPROVAL, title="名额分配讲座")
    path = f"/admin/events/{event.event_id}/quotas"
    store = get_store()

    form = _html(get_page(client, path, admin))
    assert 'name="quota_cs"' in form and 'name="quota_hospital"' in form and 'value="proportional"' in form
    assert "还没有按单位分配名额" in form
    assert f'href="{path}"' in _html(get_page(client, f"/admin/events/{event.event_id}/edit", admin))

    bad = post_form(client, path, admin, {"mode": "fixed", "quota_cs": "3", "quota_hospital": "2", "release_at": ""})
    html = _html(bad)
    assert bad.status_code == 400 and 'id="e-quotas"' in html
    assert "各单位名额合计 5，应等于总名额 6" in html.split('id="e-quotas"')[1][:200]
    assert 'id="quota-sum">5<' in html and 'value="3"' in html  # what was typed is kept
    assert store.unit_places.for_event(event.event_id) == []
    assert not store.events.get(event.event_id, consistent=True).quotas

    negative = post_form(client, path, admin, {"mode": "fixed", "quota_cs": "-1", "quota_hospital": "7"})
    assert negative.status_code == 400 and 'id="e-quota_cs"' in _html(negative)
    assert store.unit_places.for_event(event.event_id) == []

    release = local_input(china_day(20))
    good = post_form(
        client,
        path,
        admin,
        {"mode": "fixed", "quota_cs": "3", "quota_hospital": "2", "quota_math": "1", "release_at": release},
    )
    assert good.status_code == 303 and header(good, "Location").endswith("?done=quotas")
    quotas = {p.unit_id: p.quota for p in store.unit_places.for_event(event.event_id)}
    assert {unit: quota for unit, quota in quotas.items() if quota} == {"cs": 3, "hospital": 2, "math": 1}
    fresh = store.events.get(event.event_id, consistent=True)
    assert fresh.quotas and fresh.quota_release_at == china_day(20)

    html = _html(get_page(client, path + "?done=quotas", admin))
    table = html.split('id="quota-table"')[1].split("</table>")[0]
    assert "名额分配已保存" in html and "计算机科学与技术学院分工会" in table and "附属医院" in table
    assert re.search(r"<tr><td>附属医院[^<]*</td><td>2</td><td>0</td><td>2</td></tr>", table)

    # The hospital's admin sees the hospital's row only, and cannot change the plan.
    theirs = get_page(client, path, hospital_admin)
    table = _html(theirs).split('id="quota-table"')[1].split("</table>")[0]
    assert theirs.status_code == 200 and "附属医院" in table and "计算机" not in table and "数学" not in table
    assert 'name="mode"' not in _html(theirs)
    refused = post_form(client, path, hospital_admin, {"mode": "fixed", "quota_hospital": "6"})
    assert refused.status_code == 403
    assert {p.unit_id: p.quota for p in store.unit_places.for_event(event.event_id)} == quotas

    # Shared by active members instead, among the chosen units.
    share = post_form(client, path, admin, {"mode": "proportional", "minimum": "1", "units": ["cs", "math"]})
    assert share.status_code == 303
    shares = {p.unit_id: p.quota for p in store.unit_places.for_event(event.event_id) if p.quota}
    assert set(shares) == {"cs", "math"} and sum(shares.values()) == 6 and min(shares.values()) >= 1
    too_many = post_form(client, path, admin, {"mode": "proportional", "minimum": "4", "units": ["cs", "math"]})
    assert too_many.status_code == 400 and "超过了总名额 6" in _html(too_many)


def test_quotas_of_a_first_come_event_cannot_be_set(client, demo_union, callers, admins):
    admin = callers["unit_admin"]
    event = _event(admins["cs"], capacity=4, title="先到先得讲座")
    html = _html(get_page(client, f"/admin/events/{event.event_id}/quotas", admin))
    assert "先到先得的活动不按单位分配名额" in html and 'name="mode"' not in html
    refused = post_form(client, f"/admin/events/{event.event_id}/quotas", admin, {"mode": "fixed", "quota_cs": "4"})
    assert refused.status_code == 400 and "按单位分配名额需要审核或抽签方式" in _html(refused)
    assert get_store().unit_places.for_event(event.event_id) == []


# ---- the lottery ----------------------------------------------------------------------------------------------


def test_the_draw_button_after_registration_closes_and_only_once(client, demo_union, callers, admins):
    admin = callers["unit_admin"]
    event = _event(admins["cs"], capacity=2, allocation=Allocation.LOTTERY, title="疗休养抽签")
    applicants = _spare(demo_union, "cs", 3, skip=3)
    for member in applicants:
        assert _apply(event, member).state is RegistrationState.PENDING
    base = f"/admin/events/{event.event_id}/registrations"
    draw = f"/admin/events/{event.event_id}/draw"

    html = _html(get_page(client, base, admin))
    assert event.lottery_commitment and event.lottery_commitment in html
    assert f'action="{draw}"' not in html and "报名截止后才能抽签" in html
    assert f'href="/events/{event.event_id}/lottery"' in html
    early = post_form(client, draw, admin, {})
    assert early.status_code == 409 and "报名截止后才能抽签" in _html(early)
    assert get_store().events.get(event.event_id, consistent=True).lottery_drawn_at is None

    event_service.change_status(get_store(), admins["cs"], event.event_id, EventStatus.REGISTRATION_CLOSED, now())
    html = _html(get_page(client, base, admin))
    assert f'action="{draw}"' in html and "共 3 人待抽签" in html
    assert post_form(client, draw, callers["other_unit_admin"], {}).status_code == 403

    drawn = post_form(client, draw, admin, {})
    assert drawn.status_code == 303 and header(drawn, "Location").endswith("/registrations?done=drawn")
    fresh = get_store().events.get(event.event_id, consistent=True)
    assert fresh.lottery_drawn_at is not None
    states = sorted(_state(event, member).state.value for member in applicants)
    assert states == ["confirmed", "confirmed", "waiting"]
    html = _html(get_page(client, base + "?done=drawn", admin))
    assert "抽签完成" in html and "已于" in html and f'action="{draw}"' not in html

    again = post_form(client, draw, admin, {})
    assert again.status_code == 409 and "已经抽过签了" in _html(again)
    assert get_store().events.get(event.event_id, consistent=True).lottery_drawn_at == fresh.lottery_drawn_at


# ---- teams ----------------------------------------------------------------------------------------------------


def _team_event(admins, **rule):
    return _event(
        admins["union"],
        owner=SCHOOL_UNIT_ID,
        capacity=8,
        entry_type=EntryType.TEAM,
        team_rule=TeamRule(**rule),
        title="教职工气排球赛",
    )


def test_unit_admins_enter_teams_and_roster_problems_are_shown_per_player(client, demo_union, callers, admins):
    admin, union = callers["unit_admin"], callers["union_admin"]
    event = _team_event(admins, min_size=2, max_size=4, min_women=1)
    path = f"/admin/events/{event.event_id}/teams"
    store = get_store()
    woman = _spare(demo_union, "cs", 1, gender=Gender.FEMALE)[0]
    men = _spare(demo_union, "cs", 3, gender=Gender.MALE)
    outsider = _spare(demo_union, "hospital", 1, gender=Gender.MALE)[0]

    page = _html(get_page(client, path, admin))
    assert "每队 2–4 人" in page and "至少 1 名女队员" in page and "每个单位最多报 1 队" in page
    units = page.split('name="unit_id"')[1].split("</select>")[0]
    assert 'value="cs"' in units and 'value="hospital"' not in units

    roster = f"{men[0].staff_no}\n{outsider.staff_no}"
    bad = post_form(client, path, admin, {"unit_id": "cs", "name": "计算机一队", "roster": roster, "captain": ""})
    html = _html(bad)
    assert bad.status_code == 400 and "名单不符合要求" in html
    assert f"第 2 位 · {outsider.staff_no} {outsider.name}</strong>：{outsider.staff_no} 不是本单位会员" in html
    assert "至少要有 1 名女队员" in html and "计算机一队" in html  # the form keeps what was typed
    unknown = post_form(client, path, admin, {"unit_id": "cs", "name": "一队", "roster": f"{woman.staff_no}，nobody9"})
    assert unknown.status_code == 400 and "第 2 位 · NOBODY9</strong>：没有这个工号的会员" in _html(unknown)
    assert store.teams.for_event(event.event_id) == []

    roster = ", ".join(m.staff_no for m in (woman, men[0], men[1]))
    good = post_form(client, path, admin, {"unit_id": "cs", "name": "计算机一队", "roster": roster, "captain": ""})
    assert good.status_code == 303 and header(good, "Location").endswith("?done=team_entered")
    (team,) = store.teams.for_event(event.event_id)
    assert team.roster == (woman.staff_no, men[0].staff_no, men[1].staff_no) and team.unit_id == "cs"
    html = _html(get_page(client, path + "?done=team_entered", admin))
    assert "队伍已报名" in html and "计算机一队" in html and woman.name in html and men[1].name in html

    # A second team breaks the per-unit limit.
    second = post_form(
        client, path, admin, {"unit_id": "cs", "name": "二队", "roster": f"{men[2].staff_no} {woman.staff_no}"}
    )
    assert second.status_code in (400, 409) and len(store.teams.for_event(event.event_id)) == 1

    # The organisers see every team; the hospital's admin does not see the computer science one.
    assert "计算机一队" in _html(get_page(client, path, union))
    assert "计算机一队" not in _html(get_page(client, path, callers["other_unit_admin"]))
    registrations = _html(get_page(client, f"/admin/events/{event.event_id}/registrations", union))
    assert "队伍：计算机一队" in registrations and "队员" in registrations

    # A substitution that breaks the rule is shown per player; a good one is saved.
    change = f"{path}/{team.team_id}/change"
    no_woman = {"roster": f"{men[0].staff_no}\n{men[2].staff_no}", "name": team.name, "captain": "", "version": "0"}
    refused = post_form(client, change, admin, no_woman)
    assert refused.status_code == 400 and "至少要有 1 名女队员" in _html(refused) and "名单不符合要求" in _html(refused)
    assert store.teams.get(event.event_id, team.team_id).roster == team.roster
    swap = {**no_woman, "roster": f"{woman.staff_no}\n{men[0].staff_no}\n{men[2].staff_no}"}
    changed = post_form(client, change, admin, swap)
    assert changed.status_code == 303 and header(changed, "Location").endswith("?done=team_changed")
    after = store.teams.get(event.event_id, team.team_id)
    assert after.roster == (woman.staff_no, men[0].staff_no, men[2].staff_no) and after.version == 1
    assert _state(event, men[2]).state is RegistrationState.TEAM
    assert not _state(event, men[1]).state.active
    stale = post_form(client, change, admin, swap)  # made from version 0, which has changed since
    assert stale.status_code == 409 and "队伍刚被其他人修改" in _html(stale)

    withdrawn = post_form(client, f"{path}/{team.team_id}/withdraw", admin, {})
    assert withdrawn.status_code == 303 and header(withdrawn, "Location").endswith("?done=team_withdrawn")
    assert store.teams.get(event.event_id, team.team_id).state is TeamState.WITHDRAWN
    html = _html(get_page(client, path, admin))
    assert "已退赛" in html and f"{path}/{team.team_id}/withdraw" not in html


def test_a_captain_edits_their_teams_roster_and_a_plain_member_cannot(client, demo_union, callers, admins):
    admin, member = callers["unit_admin"], callers["member"]
    event = _team_event(admins, min_size=2, max_size=3, teams_per_unit=2)
    path = f"/admin/events/{event.event_id}/teams"
    store = get_store()
    players = _spare(demo_union, "cs", 5, skip=8)
    roster_a = f"{players[0].staff_no}\n{players[1].staff_no}"
    entered = post_form(
        client, path, admin, {"unit_id": "cs", "name": "A队", "roster": roster_a, "captain": member.staff_no}
    )
    assert entered.status_code == 303
    roster_b = f"{players[2].staff_no}\n{member.staff_no}"
    entered = post_form(
        client, path, admin, {"unit_id": "cs", "name": "B队", "roster": roster_b, "captain": players[2].staff_no}
    )
    assert entered.status_code == 303
    teams = {team.name: team for team in store.teams.for_event(event.event_id)}
    team_a, team_b = teams["A队"], teams["B队"]
    assert team_a.captain == member.staff_no
    assert f'href="/events/{event.event_id}/teams/{team_a.team_id}"' in _html(get_page(client, path, admin))

    own = f"/events/{event.event_id}/teams/{team_a.team_id}"
    html = _html(get_page(client, own, member))
    assert "A队" in html and players[0].name in html and 'name="roster"' in html and 'name="captain"' not in html

    too_many = {"roster": "\n".join(p.staff_no for p in players[:4]), "name": "A队", "version": "0"}
    refused = post_form(client, own, member, too_many)
    assert refused.status_code == 400 and "队伍须有 2 到 3 人" in _html(refused)
    taken = {"roster": f"{players[0].staff_no}\n{players[2].staff_no}", "name": "A队", "version": "0"}
    clash = post_form(client, own, member, taken)
    assert clash.status_code == 409 and f"第 2 位 · {players[2].staff_no}" in _html(clash)
    assert store.teams.get(event.event_id, team_a.team_id).roster == team_a.roster

    substitute = {"roster": f"{players[0].staff_no}\n{players[3].staff_no}", "name": "A队", "version": "0"}
    saved = post_form(client, own, member, substitute)
    assert saved.status_code == 303 and header(saved, "Location") == f"{own}?done=team_changed"
    after = store.teams.get(event.event_id, team_a.team_id)
    assert after.roster == (players[0].staff_no, players[3].staff_no) and after.captain == member.staff_no
    assert "队伍名单已保存" in _html(get_page(client, own + "?done=team_changed", member))

    # On team B the member is a player, not its captain: they see it but may not change it.
    theirs = f"/events/{event.event_id}/teams/{team_b.team_id}"
    html = _html(get_page(client, theirs, member))
    assert "B队" in html and 'name="roster"' not in html and "名单由本单位工会或队长修改" in html
    forbidden = post_form(
        client, theirs, member, {"roster": f"{member.staff_no}\n{players[4].staff_no}", "version": "0"}
    )
    assert forbidden.status_code == 403
    assert store.teams.get(event.event_id, team_b.team_id).roster == team_b.roster
    # A member of neither team does not even see it.
    assert get_page(client, theirs, callers["other_unit_admin"]).status_code == 404


# ---- unit admins entering their members -----------------------------------------------------------------------


def test_a_unit_admin_enters_their_own_members_into_another_units_event(client, demo_union, callers, admins):
    admin = callers["unit_admin"]
    event = _event(admins["union"], owner="hospital", capacity=10, title="附属医院开放日健步走")
    path = f"/admin/events/{event.event_id}/enter"
    ours = _spare(demo_union, "cs", 1, skip=12)[0]
    theirs = _spare(demo_union, "hospital", 2)
    _apply(event, theirs[1])  # a hospital member registered themself

    listing = _html(get_page(client, "/admin/entries", admin))
    assert "附属医院开放日健步走" in listing and f'href="{path}"' in listing
    assert 'href="/admin/entries"' in _html(get_page(client, "/admin/events", admin))

    html = _html(get_page(client, path, admin))
    assert 'name="staff_no"' in html and "计算机科学与技术学院分工会" in html and "本单位还没有会员报名" in html
    entered = post_form(client, path, admin, {"staff_no": ours.staff_no.lower(), "scope": "series"})
    assert entered.status_code == 303 and header(entered, "Location").endswith("?done=entered")
    registration = _state(event, ours)
    assert registration.state is RegistrationState.CONFIRMED and registration.added_by == admin.staff_no

    refused = post_form(client, path, admin, {"staff_no": theirs[0].staff_no, "scope": "series"})
    assert refused.status_code == 403 and "只能代本单位会员报名" in _html(refused)
    assert _state(event, theirs[0]) is None
    again = post_form(client, path, admin, {"staff_no": ours.staff_no, "scope": "series"})
    assert again.status_code == 409 and "已经报名了" in _html(again)
    unknown = post_form(client, path, admin, {"staff_no": "NOBODY9", "scope": "series"})
    assert unknown.status_code == 404 and "没有工号为 NOBODY9 的会员" in _html(unknown)

    html = _html(get_page(client, path + "?done=entered", admin))
    assert "已代为报名" in html and ours.staff_no in html and theirs[1].staff_no not in html

    # An event only for the hospital's members is not the computer science admin's to enter anyone into.
    closed_to_us = _event(
        admins["union"],
        owner="hospital",
        title="仅限医院",
        audience=AudienceRule(Audience.UNITS, frozenset({"hospital"})),
    )
    assert get_page(client, f"/admin/events/{closed_to_us.event_id}/enter", admin).status_code == 403
    assert "仅限医院" not in _html(get_page(client, "/admin/entries", admin))


def test_with_quotas_the_unit_admin_approves_their_own_members(client, demo_union, callers, admins):
    from chalicelib.services import quotas as quota_service
    from chalicelib.services.quotas import QuotaPlan

    admin = callers["unit_admin"]
    event = _event(admins["union"], owner=SCHOOL_UNIT_ID, capacity=3, allocation=Allocation.APPROVAL, title="审核名额")
    quota_service.set_quotas(get_store(), admins["union"], event, QuotaPlan(fixed={"cs": 1, "hospital": 2}), now())
    first, second = _spare(demo_union, "cs", 2, skip=14)
    for member in (first, second):
        _apply(event, member)
    path = f"/admin/events/{event.event_id}/enter"
    html = _html(get_page(client, path, admin))
    assert html.count("/registrations/approve") == 2 and 'name="back" value="enter"' in html
    approve = f"/admin/events/{event.event_id}/registrations/approve"
    ok = post_form(client, approve, admin, {"staff_no": first.staff_no, "back": "enter"})
    assert ok.status_code == 303 and header(ok, "Location").endswith("/enter?done=approved")
    used_up = post_form(client, approve, admin, {"staff_no": second.staff_no, "back": "enter"})
    assert used_up.status_code == 409 and "该单位的名额已用完" in _html(used_up)
    assert _state(event, second).state is RegistrationState.PENDING


# ---- the event form -------------------------------------------------------------------------------------------


def _event_fields(**changes):
    fields = {
        "owner_unit_id": "cs",
        "kind": "wellness",
        "format": "retreat",
        "title_zh": "疗休养",
        "description_zh": "",
        "capacity": "20",
        "waiting_list": "1",
        "starts_at": local_input(china_day(60)),
        "ends_at": local_input(china_day(62, 17)),
        "registration_opens_at": "",
        "registration_closes_at": local_input(china_day(50)),
        "cancel_deadline": "",
        "audience_scope": "all",
        "allocation": "first_come",
        "entry_type": "individual",
        "pair_gender": "any",
        "entry_group": "",
        "entry_group_limit": "",
        "lottery_priority_years": "",
    }
    return {**fields, **changes}


def _create(client, caller, **changes):
    return create_event_by_form(client, caller, _event_fields(**changes))


def _selected(html, name):
    select = html.split(f'name="{name}"')[1].split("</select>")[0]
    return re.findall(r'value="([^"]*)" selected', select)


def test_the_event_form_creates_a_lottery_and_a_team_event(client, demo_union, callers):
    admin = callers["unit_admin"]
    form = _html(get_page(client, "/admin/events/new", admin))
    assert "名额分配方式" in form and "参赛形式" in form and 'name="team_min_women"' in form
    assert (
        'name="lottery_priority_years"' in form and 'data-show-entry="team"' in form and "/static/manage_event." in form
    )

    no_capacity = post_form(client, "/admin/events/new", admin, _event_fields(allocation="lottery", capacity=""))
    html = _html(no_capacity)
    assert no_capacity.status_code == 400 and "抽签活动须设定名额" in html.split('id="e-capacity"')[1][:200]

    lottery = _create(
        client,
        admin,
        allocation="lottery",
        lottery_priority_years="3",
        entry_group="2026-retreat",
        entry_group_limit="1",
    )
    event = get_store().events.get(lottery)
    assert event.allocation is Allocation.LOTTERY and event.lottery_priority_years == 3
    assert (event.entry_group, event.entry_group_limit) == ("2026-retreat", 1) and event.lottery_commitment
    html = _html(get_page(client, f"/admin/events/{lottery}/edit", admin))
    assert _selected(html, "allocation") == ["lottery"] and _selected(html, "entry_type") == ["individual"]
    assert 'value="2026-retreat"' in html and re.search(r'name="lottery_priority_years" type="number" value="3"', html)
    assert f'href="/admin/events/{lottery}/quotas"' in html and f'href="/events/{lottery}/lottery"' in html

    team_fields = {
        "format": "tournament",
        "kind": "sports",
        "title_zh": "教职工篮球赛",
        "capacity": "12",
        "registration_closes_at": "",
        "entry_type": "team",
        "team_min_size": "5",
        "team_max_size": "10",
        "team_min_women": "1",
        "team_min_men": "",
        "team_older_age": "45",
        "team_max_older": "3",
        "team_min_age": "",
        "team_teams_per_unit": "2",
        "team_roster_deadline": local_input(china_day(55, 18)),
    }
    approval_teams = post_form(client, "/admin/events/new", admin, _event_fields(**team_fields, allocation="approval"))
    assert approval_teams.status_code == 400
    assert "团体赛按单位报队" in _html(approval_teams).split('id="e-allocation"')[1][:200]
    upside_down = post_form(client, "/admin/events/new", admin, _event_fields(**{**team_fields, "team_max_size": "3"}))
    assert upside_down.status_code == 400 and 'id="e-team_max_size"' in _html(upside_down)

    team = _create(client, admin, **team_fields)
    event = get_store().events.get(team)
    assert event.entry_type is EntryType.TEAM
    assert event.team_rule == TeamRule(5, 10, 1, 0, 45, 3, None, 2, china_day(55, 18))
    html = _html(get_page(client, f"/admin/events/{team}/edit", admin))
    assert _selected(html, "entry_type") == ["team"]
    for name, value in (("team_min_size", "5"), ("team_max_size", "10"), ("team_older_age", "45")):
        assert re.search(rf'name="{name}" type="number" value="{value}"', html), name
    assert f'value="{local_input(china_day(55, 18))}"' in html and f'href="/admin/events/{team}/teams"' in html

    # Saving the edit form as shown changes nothing; changing a rule is saved.
    edit = {key: value for key, value in _event_fields(**team_fields).items() if key != "owner_unit_id"}
    assert post_form(client, f"/admin/events/{team}/edit", admin, edit).status_code == 303
    assert get_store().events.get(team).team_rule == event.team_rule
    bigger = post_form(client, f"/admin/events/{team}/edit", admin, {**edit, "team_max_size": "12"})
    assert bigger.status_code == 303 and get_store().events.get(team).team_rule.max_size == 12

    pairs = _create(client, admin, title_zh="混双", format="tournament", kind="sports", entry_type="pair",
                    pair_gender="mixed", pair_same_unit="1")  # fmt: skip
    rule = get_store().events.get(pairs).pair_rule
    assert (rule.gender.value, rule.same_unit) == ("mixed", True)
    assert _selected(_html(get_page(client, f"/admin/events/{pairs}/edit", admin)), "pair_gender") == ["mixed"]


# ---- English --------------------------------------------------------------------------------------------------


def test_the_pages_in_english(client, demo_union, callers, admins):
    admin = callers["unit_admin"]
    event = _event(admins["cs"], capacity=4, allocation=Allocation.APPROVAL, title="英文页面", title_en="English page")
    _apply(event, _spare(demo_union, "cs", 1)[0])
    registrations = _html(get_page(client, f"/admin/events/{event.event_id}/registrations?lang=en", admin))
    assert '<html lang="en">' in registrations and "Approve" in registrations and "Awaiting approval" in registrations
    quotas = _html(get_page(client, f"/admin/events/{event.event_id}/quotas?lang=en", admin))
    assert "Unit quotas" in quotas and "Fixed quotas per unit" in quotas and "名额分配" not in quotas
    enter = _html(get_page(client, f"/admin/events/{event.event_id}/enter?lang=en", admin))
    assert "Enter your unit&#39;s members" in enter and "English page" in enter
    team_event = _team_event(admins, min_size=2, max_size=5)
    teams = _html(get_page(client, f"/admin/events/{team_event.event_id}/teams?lang=en", admin))
    assert "2 to 5 players a team" in teams and "Enter a team for your unit" in teams
    form = _html(get_page(client, "/admin/events/new?lang=en", admin))
    assert "How places are given out" in form and "By lot" in form and "Teams (by unit)" in form
    entries = _html(get_page(client, "/admin/entries?lang=en", admin))
    assert "Enter your members" in entries
