"""Members' pages for the allocation features: how places are given out, pairs entries and partner invitations,
approval, the lottery page and its JSON download, team events, and every new state on "my registrations".

Events are created for each test through the organisers' service, as the union admin (not the demo loader)."""

import json
import re
import time
from html import unescape

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.lottery import commitment, draw_key, verify_draw
from chalicelib.domain.records import (
    SERIES,
    Allocation,
    EntryType,
    EventFormat,
    EventKind,
    MemberStatus,
    PairGender,
    PairRule,
    RegistrationState,
)
from chalicelib.services import events as event_service
from chalicelib.services import lottery as lottery_service
from chalicelib.services import registration as registration_service
from chalicelib.services import teams as team_service
from chalicelib.storage import get_store
from tests.factories import tournament
from tests.http.browsing import get_page, header, post_form


def _registration(event_id, staff_no):
    return get_store().registrations.get(event_id, SERIES, staff_no)


def _row(html, title):
    """The card of one event on "my registrations" (the member's other tests' events are listed too)."""
    at = html.index(title)
    return html[html.rindex("<li", 0, at) : html.index("</li>", at)]


@pytest.fixture(scope="module")
def organiser(callers):
    return Principal(staff_no=callers["union_admin"].staff_no, union_admin=True)


@pytest.fixture(scope="module")
def me(demo_union, callers):
    """The signed-in member's own record (gender, unit, name)."""
    return next(m for m in demo_union.members if m.staff_no == callers["member"].staff_no)


@pytest.fixture(scope="module")
def others(demo_union, callers):
    """Active demo members who are none of the signed-in callers."""
    taken = {caller.staff_no for caller in callers.values()}
    return [m for m in demo_union.members if m.status is MemberStatus.ACTIVE and m.staff_no not in taken]


def _principal(member):
    return Principal(staff_no=member.staff_no, unit_id=member.unit_id)


@pytest.fixture
def make_event(organiser):
    def make(title, **fields):
        return tournament(organiser, title, **fields)

    return make


def _close_and_draw(organiser, event):
    store = get_store()
    event_service.update_event(store, organiser, event.event_id, {"registration_closes_at": now()}, False, now())
    time.sleep(0.01)
    closed = store.events.get(event.event_id, consistent=True)
    lottery_service.draw(store, organiser, closed, now())
    return store.events.get(event.event_id, consistent=True)


# ---- pairs ----------------------------------------------------------------------------------------------------


def test_pairs_form_has_a_partner_field_and_a_wrong_gender_partner_is_shown_next_to_it(
    client, demo_union, callers, me, others, make_event
):
    member = callers["member"]
    event = make_event("混双报名测试", capacity=8, entry_type=EntryType.PAIR, pair_rule=PairRule(PairGender.MIXED))
    page = get_page(client, f"/events/{event.event_id}", member).body.decode()
    assert "参赛形式" in page and "混双：一男一女搭档报名" in page and "邀请搭档报名" in page

    form = get_page(client, f"/events/{event.event_id}/register", member).body.decode()
    assert re.search(r'<input id="f-partner" name="partner" type="text"[^>]*required', form)
    assert "搭档工号" in form and "混双：一男一女搭档报名" in form and "对方在“我的报名”中确认后" in form

    same_gender = next(m for m in others if m.gender == me.gender)
    response = post_form(
        client, f"/events/{event.event_id}/register", member, [("scope", SERIES), ("partner", same_gender.staff_no)]
    )
    html = response.body.decode()
    assert response.status_code == 400
    assert '<p class="field-error" id="e-partner">混双须一男一女</p>' in html
    assert f'value="{same_gender.staff_no}"' in html and 'aria-invalid="true"' in html
    assert _registration(event.event_id, member.staff_no) is None

    unknown = post_form(
        client, f"/events/{event.event_id}/register", member, [("scope", SERIES), ("partner", "NOBODY1")]
    )
    assert unknown.status_code == 400 and "没有这个工号的会员" in unknown.body.decode()
    missing = post_form(client, f"/events/{event.event_id}/register", member, [("scope", SERIES), ("partner", "")])
    assert missing.status_code == 400 and "请填写搭档的工号" in missing.body.decode()
    english = post_form(
        client,
        f"/events/{event.event_id}/register?lang=en",
        member,
        [("scope", SERIES), ("partner", same_gender.staff_no)],
    )
    assert english.status_code == 400 and "Mixed doubles need one man and one woman" in english.body.decode()


def test_inviting_a_partner_then_they_decline(client, demo_union, callers, me, others, make_event):
    member = callers["member"]
    event = make_event("双打邀请测试", capacity=8, entry_type=EntryType.PAIR, pair_rule=PairRule(PairGender.ANY))
    partner = others[3]
    response = post_form(
        client, f"/events/{event.event_id}/register", member, [("scope", SERIES), ("partner", partner.staff_no)]
    )
    assert response.status_code == 303, response.body
    assert _registration(event.event_id, member.staff_no).state is RegistrationState.AWAITING_PARTNER
    mine = get_page(client, header(response, "Location"), member).body.decode()
    assert f"「双打邀请测试」已邀请 {partner.name}，等待对方确认。" in mine
    assert f"等待搭档确认（搭档：{partner.name}）" in mine
    assert f'action="/events/{event.event_id}/cancel"' in mine  # the invitation can be withdrawn

    registration_service.decline_partner(get_store(), _principal(partner), event.event_id, now())
    row = _row(get_page(client, "/me/registrations", member).body.decode(), "双打邀请测试")
    assert f"{partner.name} 谢绝了搭档邀请" in row and 'data-state="cancelled">已取消<' in row


def test_confirming_an_invitation_pairs_the_members(client, demo_union, callers, me, others, make_event):
    member = callers["member"]
    event = make_event("双打确认测试", capacity=8, entry_type=EntryType.PAIR)
    lead = others[4]
    registration_service.register(get_store(), _principal(lead), event.event_id, SERIES, {}, now(), partner=me.staff_no)

    mine = get_page(client, "/me/registrations", member).body.decode()
    assert f"搭档邀请：{lead.name} 邀请您搭档" in _row(mine, "双打确认测试")
    assert f'action="/events/{event.event_id}/partner/confirm"' in mine
    assert f'action="/events/{event.event_id}/partner/decline"' in mine
    page = get_page(client, f"/events/{event.event_id}", member).body.decode()
    assert (
        "您收到了搭档邀请，请在上方确认或谢绝。" in page
        and f'action="/events/{event.event_id}/partner/confirm"' in page
    )

    response = post_form(client, f"/events/{event.event_id}/partner/confirm", member, {})
    assert response.status_code == 303
    assert header(response, "Location") == f"/me/registrations?confirmed={event.event_id}"
    assert _registration(event.event_id, me.staff_no).state is RegistrationState.PARTNER
    assert _registration(event.event_id, lead.staff_no).state is RegistrationState.CONFIRMED
    mine = get_page(client, header(response, "Location"), member).body.decode()
    assert f"已确认与 {lead.name} 搭档参加「双打确认测试」。" in mine
    row = _row(mine, "<strong>双打确认测试")
    assert f"已组队（搭档：{lead.name}）" in row and 'data-state="partner">已确认<' in row
    assert "你们的组合将一起取消" in row and "/partner/confirm" not in row  # cancelling withdraws the pair
    # Answering twice is refused with the normal error page.
    assert post_form(client, f"/events/{event.event_id}/partner/confirm", member, {}).status_code == 404


def test_declining_an_invitation(client, demo_union, callers, me, others, make_event):
    member = callers["member"]
    event = make_event("双打谢绝测试", capacity=8, entry_type=EntryType.PAIR)
    lead = others[5]
    registration_service.register(get_store(), _principal(lead), event.event_id, SERIES, {}, now(), partner=me.staff_no)
    cross_site = post_form(
        client, f"/events/{event.event_id}/partner/decline", member, {}, Origin="https://evil.example"
    )
    assert cross_site.status_code == 403
    assert _registration(event.event_id, me.staff_no).state is RegistrationState.INVITED

    response = post_form(client, f"/events/{event.event_id}/partner/decline", member, {})
    assert response.status_code == 303
    assert header(response, "Location") == f"/me/registrations?declined={event.event_id}"
    assert _registration(event.event_id, me.staff_no).state is RegistrationState.CANCELLED
    assert _registration(event.event_id, lead.staff_no).state is RegistrationState.CANCELLED
    mine = get_page(client, header(response, "Location"), member).body.decode()
    assert "已谢绝「双打谢绝测试」的搭档邀请。" in mine
    assert post_form(client, f"/events/{event.event_id}/partner/decline", member, {}).status_code == 404
    assert post_form(client, f"/events/{event.event_id}/partner/confirm", callers["anonymous"], {}).status_code == 303


# ---- approval and entries made for a member ---------------------------------------------------------------------


def test_approval_pending_then_rejected_with_its_reason(client, demo_union, callers, organiser, make_event):
    member = callers["member"]
    event = make_event("审核报名测试", capacity=5, allocation=Allocation.APPROVAL)
    page = get_page(client, f"/events/{event.event_id}").body.decode()
    assert "报名后审核：提交报名后由组织者审核" in page and "待审核 0 人" in page

    form = get_page(client, f"/events/{event.event_id}/register", member).body.decode()
    assert "提交报名申请" in form and "报名后审核" in form
    response = post_form(client, f"/events/{event.event_id}/register", member, [("scope", SERIES)])
    assert response.status_code == 303
    mine = get_page(client, header(response, "Location"), member).body.decode()
    assert "「审核报名测试」已提交，等待审核。" in mine and 'data-state="pending">待审核<' in mine
    assert 'data-confirm="确定撤回这份报名吗？"' in _row(mine, "<strong>审核报名测试")
    assert "待审核 1 人" in get_page(client, f"/events/{event.event_id}", member).body.decode()

    registration_service.reject(get_store(), organiser, event.event_id, member.staff_no, "名额有限，请下次报名", now())
    row = _row(get_page(client, "/me/registrations", member).body.decode(), "审核报名测试")
    assert 'data-state="rejected">未通过（原因：名额有限，请下次报名）<' in row and "/cancel" not in row
    english = get_page(client, "/me/registrations?lang=en", member).body.decode()
    assert "Not approved (reason: 名额有限，请下次报名)" in english


def test_an_entry_made_for_the_member_says_so_and_can_be_withdrawn(client, demo_union, callers, organiser, make_event):
    member = callers["member"]
    event = make_event("代为报名测试", capacity=5)
    registration_service.add_for_member(get_store(), organiser, event.event_id, SERIES, member.staff_no, {}, now())
    admin = get_store().members.get(organiser.staff_no)
    admin_name = admin.name if admin else organiser.staff_no
    row = _row(get_page(client, "/me/registrations", member).body.decode(), "代为报名测试")
    assert f"由 {admin_name} 代为报名" in row and f'action="/events/{event.event_id}/cancel"' in row
    page = get_page(client, f"/events/{event.event_id}", member).body.decode()
    assert f"由 {admin_name} 代为报名" in page
    cancelled = post_form(client, f"/events/{event.event_id}/cancel", member, {"scope": SERIES})
    assert cancelled.status_code == 303
    assert _registration(event.event_id, member.staff_no).state is RegistrationState.CANCELLED


# ---- the lottery ----------------------------------------------------------------------------------------------


def test_lottery_page_before_and_after_the_draw(client, demo_union, callers, organiser, others, make_event):
    member = callers["member"]
    event = make_event("抽签页面测试", capacity=2, allocation=Allocation.LOTTERY, format=EventFormat.RETREAT)
    published = event.lottery_commitment
    assert published and len(published) == 64

    page = get_page(client, f"/events/{event.event_id}").body.decode()
    assert "报名截止后抽签" in page and "报名参加抽签" not in page  # anonymous visitors are asked to sign in
    assert f'<code class="digest" id="commitment">{published}</code>' in page
    assert f'href="/events/{event.event_id}/lottery"' in page

    response = post_form(client, f"/events/{event.event_id}/register", member, [("scope", SERIES)])
    assert response.status_code == 303
    mine = get_page(client, header(response, "Location"), member).body.decode()
    assert "「抽签页面测试」已报名抽签，报名截止后公开抽签。" in mine and "已报名抽签（待抽签）" in mine
    applicants = others[10:14]
    for other in applicants:
        registration_service.register(get_store(), _principal(other), event.event_id, SERIES, {}, now())

    before = get_page(client, f"/events/{event.event_id}/lottery")
    html = before.body.decode()
    assert before.status_code == 200
    assert published in html and "尚未抽签" in html and "承诺值是抽签种子的 SHA-256 摘要" in html
    assert '<dd id="applicants">5</dd>' in html and '<dd id="places">2</dd>' in html
    assert "已报名抽签 5 人" in get_page(client, f"/events/{event.event_id}").body.decode()
    assert get_page(client, f"/events/{event.event_id}/lottery.json", member).status_code == 404

    drawn = _close_and_draw(organiser, event)
    data = lottery_service.published(get_store(), drawn).data
    after = get_page(client, f"/events/{event.event_id}/lottery").body.decode()
    assert data["seed"] in after and published in after and '<dd id="winners">2</dd>' in after
    assert '<dd id="applicants">5</dd>' in after and "抽签时间" in after
    # Anonymous visitors see the seed and the counts, but nobody's 工号.
    assert not any(a.staff_no in after for a in applicants) and member.staff_no not in after
    assert 'href="/signin?next=/events/' in after and "lottery.json" not in after
    assert "核对种子的 SHA-256 等于抽签前公布的承诺值" in after
    assert f"python -m devtools.verify_lottery draw-{event.event_id}.json --commitment {published}" in after
    assert 'SHA-256(种子 + ":" + 工号)' in unescape(after)

    signed_in = get_page(client, f"/events/{event.event_id}/lottery", member).body.decode()
    assert draw_key(data["seed"], member.staff_no) in signed_in
    assert f'href="/events/{event.event_id}/lottery.json"' in signed_in
    assert all(a.staff_no in signed_in for a in applicants)  # the draw order, for members
    row = _row(get_page(client, "/me/registrations", member).body.decode(), "抽签页面测试")
    if member.staff_no in data["winners"]:
        assert "抽中：您获得了名额" in signed_in
        assert 'data-state="confirmed">已确认<' in row
    else:
        position = data["waiting"].index(member.staff_no) + 1
        assert f"未抽中：按抽签顺序候补第 {position} 位" in signed_in
        assert f'data-state="waiting">候补第 {position} 位<' in row
    assert "已于" in get_page(client, f"/events/{event.event_id}").body.decode()

    download = get_page(client, f"/events/{event.event_id}/lottery.json", member)
    assert download.status_code == 200
    assert header(download, "Content-Type").startswith("application/json")
    assert header(download, "Content-Disposition") == f'attachment; filename="draw-{event.event_id}.json"'
    body = download.body.decode() if isinstance(download.body, bytes) else download.body
    saved = json.loads(body)
    assert saved == data
    assert verify_draw(saved, expected_commitment=published) == []
    assert commitment(saved["seed"]) == published
    assert verify_draw({**saved, "winners": saved["winners"][::-1]}) != []  # the check can fail

    anonymous = get_page(client, f"/events/{event.event_id}/lottery.json")
    assert anonymous.status_code == 303
    assert header(anonymous, "Location") == f"/signin?next=/events/{event.event_id}/lottery.json"
    assert data["seed"] not in (anonymous.body or b"").decode()

    english = get_page(client, f"/events/{event.event_id}/lottery?lang=en", member).body.decode()
    assert "How to check the draw" in english and "Download the draw (JSON)" in english
    assert "exit status 0 means the draw checks out" in english


def test_lottery_priority_waiting_and_not_drawn(client, demo_union, callers, organiser, others, make_event):
    """A member who held a retreat place draws after everyone else: with a waiting list they wait in draw order,
    without one they are not drawn."""
    member = callers["member"]
    store = get_store()
    earlier = make_event("往期疗休养", capacity=50, format=EventFormat.RETREAT, kind=EventKind.WELLNESS)
    registration_service.register(store, Principal(staff_no=member.staff_no), earlier.event_id, SERIES, {}, now())
    fields = {"format": EventFormat.RETREAT, "kind": EventKind.WELLNESS, "lottery_priority_years": 3}
    waiting = make_event("疗休养抽签候补", capacity=1, allocation=Allocation.LOTTERY, **fields)
    final = make_event("疗休养抽签无候补", capacity=1, allocation=Allocation.LOTTERY, waiting_list=False, **fields)
    page = get_page(client, f"/events/{waiting.event_id}").body.decode()
    assert "近 3 年内没有获得过疗休养名额的会员优先抽签。" in page
    # Members with no retreat place (the demo data may give some one): they draw first.
    newcomers = [m for m in others[20:] if lottery_service.priority_tier(store, waiting, m.staff_no, now()) == 0][:2]
    for event in (waiting, final):
        registration_service.register(store, Principal(staff_no=member.staff_no), event.event_id, SERIES, {}, now())
        for other in newcomers:
            registration_service.register(store, _principal(other), event.event_id, SERIES, {}, now())
        _close_and_draw(organiser, event)

    assert _registration(waiting.event_id, member.staff_no).state is RegistrationState.WAITING
    rejected = _registration(final.event_id, member.staff_no)
    assert (rejected.state, rejected.reason) == (RegistrationState.REJECTED, "not_drawn")
    lottery = get_page(client, f"/events/{waiting.event_id}/lottery", member).body.decode()
    assert "未抽中：按抽签顺序候补第 2 位" in lottery and "抽签顺序第 3 位（共 3 人），优先级 1" in lottery
    lottery = get_page(client, f"/events/{final.event_id}/lottery", member).body.decode()
    assert '<span class="badge off" id="my-result">未抽中</span>' in lottery
    mine = get_page(client, "/me/registrations", member).body.decode()
    assert 'data-state="rejected">未抽中<' in _row(mine, "疗休养抽签无候补")
    assert 'data-state="waiting">候补第 2 位<' in _row(mine, "疗休养抽签候补")
    english = get_page(client, "/me/registrations?lang=en", member).body.decode()
    assert 'data-state="rejected">Not drawn<' in _row(english, "疗休养抽签无候补")


def test_the_lottery_page_is_for_lottery_events_only(client, demo_union, callers, make_event):
    event = make_event("非抽签活动", capacity=5)
    assert get_page(client, f"/events/{event.event_id}/lottery").status_code == 404
    assert get_page(client, f"/events/{event.event_id}/lottery.json", callers["member"]).status_code == 404
    assert "先到先得" in get_page(client, f"/events/{event.event_id}").body.decode()


# ---- team events ----------------------------------------------------------------------------------------------


def test_team_event_shows_the_members_team_instead_of_a_register_button(
    client, demo_union, callers, organiser, me, make_event
):
    member = callers["member"]
    event = make_event("团体赛页面测试", capacity=6, entry_type=EntryType.TEAM)
    anonymous = get_page(client, f"/events/{event.event_id}").body.decode()
    assert "由各单位工会组队报名" in anonymous and "登录后报名" not in anonymous
    team = team_service.enter_team(
        get_store(), organiser, event, me.unit_id, "页面测试一队", [me.staff_no], None, now()
    )

    page = get_page(client, f"/events/{event.event_id}", member).body.decode()
    assert "由各单位工会组队报名" in page and "我要报名" not in page
    assert (
        "您在「页面测试一队」的队员名单中" in page and f'href="/events/{event.event_id}/teams/{team.team_id}"' in page
    )
    row = _row(get_page(client, "/me/registrations", member).body.decode(), "团体赛页面测试")
    assert "队员（页面测试一队）" in row and "队员名单由本单位工会管理" in row
    assert "/cancel" not in row  # the unit manages the roster
    refused = post_form(client, f"/events/{event.event_id}/register", member, [("scope", SERIES)])
    assert refused.status_code == 409 and "该比赛以单位组队参赛" in refused.body.decode()
    english = unescape(get_page(client, f"/events/{event.event_id}?lang=en", member).body.decode())
    assert "Teams are entered by each unit's union" in english and "页面测试一队" in english


# ---- English --------------------------------------------------------------------------------------------------


def test_pages_render_in_english(client, demo_union, callers, make_event):
    member = callers["member"]
    lottery = make_event("英文抽签测试", capacity=3, allocation=Allocation.LOTTERY)
    page = get_page(client, f"/events/{lottery.event_id}?lang=en", member)
    html = page.body.decode()
    assert page.status_code == 200
    assert "Lottery: everyone who applies before registration closes" in html
    assert "Commitment (SHA-256 of the seed)" in html and "Apply for the draw" in html
    before = get_page(client, f"/events/{lottery.event_id}/lottery?lang=en").body.decode()
    assert "Not drawn yet" in before and "The commitment is the SHA-256 digest" in before
    pairs = make_event("英文双打测试", capacity=4, entry_type=EntryType.PAIR, pair_rule=PairRule(PairGender.SAME, True))
    form = unescape(get_page(client, f"/events/{pairs.event_id}/register?lang=en", member).body.decode())
    assert "Partner's staff number" in form and "Men's or women's doubles" in form
    assert "Partners must be of the same unit" in form and "Enter with a partner" in form
