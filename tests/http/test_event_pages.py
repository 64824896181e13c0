"""Members' event pages: the list, one event, the poster, the registration form, cancelling, my registrations and
my notifications. Events are created for each test through the organisers' service, as the union admin."""

import re
from datetime import timedelta

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.forms import Option, Question, QuestionKind, ShowIf
from chalicelib.domain.records import SERIES, EventFormat, EventKind, MemberStatus, RegistrationState
from chalicelib.services import registration as registration_service
from chalicelib.storage import get_store
from chalicelib.web.assets import asset_url, load
from tests.factories import tournament
from tests.http.browsing import HOST, get_page, header, post_form

XSS = "<script>alert(1)</script>"

QUESTIONS = (
    Question("name_tag", QuestionKind.TEXT, "胸牌姓名", "Name tag", required=True, max_length=20),
    Question("notes", QuestionKind.LONG_TEXT, "备注", "Notes"),
    Question("tickets", QuestionKind.NUMBER, "票数", "Tickets", required=True, min_value=1, max_value=3),
    Question(
        "size",
        QuestionKind.SINGLE_CHOICE,
        "T恤尺码",
        "T-shirt size",
        options=(Option("S", "小号"), Option("M", "中号"), Option("L", "大号", limit=1)),
    ),
    Question(
        "extras",
        QuestionKind.MULTIPLE_CHOICE,
        "加选项目",
        "Extras",
        options=(Option("swim", "游泳"), Option("yoga", "瑜伽"), Option("run", "跑步")),
        max_choices=2,
    ),
    Question("arrival", QuestionKind.DATE, "到达日期", "Arrival"),
    Question("family", QuestionKind.YES_NO, "是否携带家属", "Family?", required=True),
    Question(
        "family_count",
        QuestionKind.NUMBER,
        "家属人数",
        "How many",
        required=True,
        min_value=1,
        max_value=4,
        show_if=ShowIf("family", ("yes",)),
    ),
)

VALID = [
    ("scope", SERIES),
    ("a.name_tag", "小王"),
    ("a.notes", "第一行\r\n第二行"),
    ("a.tickets", "2"),
    ("a.size", "M"),
    ("a.extras", "swim"),
    ("a.extras", "run"),
    ("a.arrival", "2026-05-01"),
    ("a.family", "yes"),
    ("a.family_count", "1"),
]


@pytest.fixture(scope="module")
def organiser(callers):
    return Principal(staff_no=callers["union_admin"].staff_no, union_admin=True)


@pytest.fixture(scope="module")
def others(demo_union, callers):
    """Active demo members who are none of the signed-in callers, as principals."""
    taken = {caller.staff_no for caller in callers.values()}
    return [
        Principal(staff_no=m.staff_no, unit_id=m.unit_id)
        for m in demo_union.members
        if m.status is MemberStatus.ACTIVE and m.staff_no not in taken
    ][:10]


@pytest.fixture
def make_event(organiser):
    def make(title="教工羽毛球赛", *, publish=True, **fields):
        described = {"description_zh": "第一段\n第二段", "contact": "王老师 13800000000", **fields}
        return tournament(organiser, title, publish=publish, **described)

    return make


def _registration(event_id, staff_no, scope=SERIES):
    return get_store().registrations.get(event_id, scope, staff_no)


# ---- list and event page ---------------------------------------------------------------------------------------


def test_list_shows_published_events_not_drafts(client, demo_union, make_event):
    published = make_event("列表可见的活动", capacity=30)
    draft = make_event("列表不可见的草稿", publish=False)
    response = get_page(client, "/events")
    html = response.body.decode()
    assert response.status_code == 200
    assert "列表可见的活动" in html and f'href="/events/{published.event_id}"' in html
    assert "列表不可见的草稿" not in html and draft.event_id not in html
    assert "余 30 个名额" in html and "报名中" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "pages must not load external assets"
    assert 'href="/events"' in html  # the header's link


def test_list_filters_by_kind_unit_and_open(client, demo_union, make_event):
    make_event("筛选测试体育", capacity=5)
    make_event("筛选测试健康", kind=EventKind.WELLNESS, format=EventFormat.SESSION, owner_unit_id="school")
    later = now() + timedelta(days=3)
    make_event("筛选测试未开放", registration_opens_at=later)

    html = get_page(client, "/events?kind=wellness").body.decode()
    assert "筛选测试健康" in html and "筛选测试体育" not in html
    html = get_page(client, "/events?unit=cs").body.decode()
    assert "筛选测试体育" in html and "筛选测试健康" not in html
    html = get_page(client, "/events?open=1").body.decode()
    assert "筛选测试体育" in html and "筛选测试未开放" not in html
    assert "即将报名" in get_page(client, "/events").body.decode()
    # Unknown filter values are ignored rather than refused.
    assert get_page(client, "/events?kind=nonsense&unit=nowhere").status_code == 200
    english = get_page(client, "/events?kind=sports&lang=en").body.decode()
    assert "Open for registration" in english and "?kind=sports&amp;lang=zh" in english


def test_event_page_for_anonymous_visitors(client, demo_union, make_event):
    event = make_event("分享测试活动", capacity=20, campus="东校区")
    response = get_page(client, f"/events/{event.event_id}", Host=HOST)
    html = response.body.decode()
    assert response.status_code == 200
    assert f'value="https://{HOST}/events/{event.event_id}"' in html
    assert f'href="/events/{event.event_id}/poster"' in html
    assert "复制链接" in html and "登录后报名" in html
    assert f'href="/signin?next=/events/{event.event_id}/register"' in html
    assert "东区体育馆" in html and "东校区" in html and "王老师 13800000000" in html
    assert "第一段\n第二段" in html and "全体会员" in html and "共 20 个名额" in html
    local = get_page(client, f"/events/{event.event_id}", Host="localhost:8000").body.decode()
    assert f'value="http://localhost:8000/events/{event.event_id}"' in local


def test_drafts_are_hidden_from_members_but_not_from_organisers(client, demo_union, callers, make_event):
    draft = make_event("草稿活动", publish=False)
    assert get_page(client, f"/events/{draft.event_id}").status_code == 404
    assert get_page(client, f"/events/{draft.event_id}", callers["member"]).status_code == 404
    assert get_page(client, f"/events/{draft.event_id}/poster").status_code == 404
    assert get_page(client, f"/events/{draft.event_id}", callers["unit_admin"]).status_code == 200
    assert get_page(client, "/events/ev-no-such-event").status_code == 404


def test_poster_has_a_qr_code_and_the_title(client, demo_union, make_event):
    event = make_event("海报测试活动")
    response = get_page(client, f"/events/{event.event_id}/poster", Host=HOST)
    html = response.body.decode()
    assert response.status_code == 200
    assert "<svg" in html and "<path" in html and "海报测试活动" in html
    assert "微信扫一扫报名" in html and f"https://{HOST}/events/{event.event_id}" in html
    assert asset_url("poster.css") in html and "@page{size:A4;margin:15mm}" in load("poster.css").text
    assert '<button type="button" data-print>' in html and "window.print()" in load("app.js").text


# ---- the registration form ------------------------------------------------------------------------------------


def test_register_needs_sign_in(client, demo_union, make_event):
    event = make_event("登录测试活动")
    response = get_page(client, f"/events/{event.event_id}/register")
    assert response.status_code == 303
    assert header(response, "Location").startswith("/signin?next=")


def test_register_form_renders_every_question_kind(client, demo_union, callers, make_event):
    event = make_event("表单测试活动", form=QUESTIONS)
    html = get_page(client, f"/events/{event.event_id}/register", callers["member"]).body.decode()
    assert 'name="a.name_tag" type="text"' in html and 'maxlength="20"' in html
    assert '<textarea id="f-notes" name="a.notes"' in html
    assert 'name="a.tickets" type="number"' in html and 'min="1"' in html and 'max="3"' in html
    assert html.count('name="a.size" value=') == 3 and 'type="radio" name="a.size"' in html
    assert html.count('type="checkbox" name="a.extras"') == 3
    assert 'name="a.arrival" type="date"' in html
    assert 'name="a.family" value="yes"' in html and 'name="a.family" value="no"' in html
    # The conditional question is shown to the script, required only when it is shown.
    assert 'data-q="family_count" data-parent="family" data-values="yes"' in html
    assert re.search(r'name="a.family_count"[^>]*data-required="1"', html)
    assert re.search(r'name="a.name_tag"[^>]*required', html)
    assert "仅当“是否携带家属”选择“是”时填写" in html and "最多选 2 项" in html


def test_a_valid_form_registers_and_redirects(client, demo_union, callers, make_event):
    event = make_event("报名成功测试", form=QUESTIONS, capacity=10)
    member = callers["member"]
    response = post_form(client, f"/events/{event.event_id}/register", member, VALID)
    assert response.status_code == 303, response.body
    assert header(response, "Location") == f"/me/registrations?done={event.event_id}"
    registration = _registration(event.event_id, member.staff_no)
    assert registration.state is RegistrationState.CONFIRMED
    assert registration.answers == {
        "name_tag": "小王",
        "notes": "第一行\n第二行",
        "tickets": 2,
        "size": "M",
        "extras": ["swim", "run"],
        "arrival": "2026-05-01",
        "family": True,
        "family_count": 1,
    }
    api = client.http.get("/api/me/registrations", headers=member.headers()).body.decode()
    assert event.event_id in api
    mine = get_page(client, header(response, "Location"), member).body.decode()
    assert "报名成功：报名成功测试" in mine and "已确认" in mine and "取消报名" in mine
    page = get_page(client, f"/events/{event.event_id}", member).body.decode()
    assert "已确认" in page and f'action="/events/{event.event_id}/cancel"' in page and "我要报名" not in page


def _refused_form(client, event, member, fields):
    """The member posts the registration form with ``fields``: it comes back (400) and nothing is stored; its html."""
    response = post_form(client, f"/events/{event.event_id}/register", member, fields)
    assert response.status_code == 400
    assert _registration(event.event_id, member.staff_no) is None
    return response.body.decode()


def test_an_out_of_range_number_is_shown_and_nothing_is_stored(client, demo_union, callers, make_event):
    event = make_event("范围测试活动", form=QUESTIONS)
    member = callers["member"]
    fields = [(name, "9" if name == "a.tickets" else value) for name, value in VALID]
    html = _refused_form(client, event, member, fields)
    assert "请填写 1 到 3 之间的数" in html and 'id="e-tickets"' in html
    assert 'value="小王"' in html and "第一行" in html  # the answers are kept
    assert re.search(r'value="swim" checked', html) and not re.search(r'value="yoga" checked', html)


def test_an_answer_to_a_hidden_question_is_refused(client, demo_union, callers, make_event):
    event = make_event("隐藏题测试", form=QUESTIONS)
    member = callers["member"]
    fields = [(name, "no" if name == "a.family" else value) for name, value in VALID]
    html = _refused_form(client, event, member, fields)
    assert "这一项不用填写" in html and 'id="e-family_count"' in html
    # Left empty, the same answers register.
    fields = [(name, value) for name, value in fields if name != "a.family_count"]
    assert post_form(client, f"/events/{event.event_id}/register", member, fields).status_code == 303


def test_missing_required_answers_are_marked(client, demo_union, callers, make_event):
    event = make_event("必填测试", form=QUESTIONS)
    html = _refused_form(client, event, callers["member"], [("scope", SERIES)])
    assert html.count("请填写这一项") == 3  # name tag, tickets, family; family_count stays hidden


def test_registering_twice_is_a_friendly_409(client, demo_union, callers, make_event):
    event = make_event("重复报名测试")
    member = callers["member"]
    assert post_form(client, f"/events/{event.event_id}/register", member, [("scope", SERIES)]).status_code == 303
    again = post_form(client, f"/events/{event.event_id}/register", member, [("scope", SERIES)])
    assert again.status_code == 409
    assert "已经报名" in again.body.decode()
    shown = get_page(client, f"/events/{event.event_id}/register", member)
    assert shown.status_code == 200 and "已经报名" in shown.body.decode()


def test_closed_full_and_ineligible_are_refused_with_their_reason(client, demo_union, callers, make_event, others):
    member = callers["member"]
    full = make_event("满员测试", capacity=1, waiting_list=False)
    registration_service.register(get_store(), others[0], full.event_id, SERIES, {}, now())
    page = get_page(client, f"/events/{full.event_id}", member).body.decode()
    assert "名额已满，本活动不设候补" in page and "我要报名" not in page
    refused = post_form(client, f"/events/{full.event_id}/register", member, [("scope", SERIES)])
    assert refused.status_code == 409 and "名额已满" in refused.body.decode()

    not_yet = make_event("未开放测试", registration_opens_at=now() + timedelta(days=2))
    refused = post_form(client, f"/events/{not_yet.event_id}/register", member, [("scope", SERIES)])
    assert refused.status_code == 409 and "报名尚未开始" in refused.body.decode()
    assert "报名将于" in get_page(client, f"/events/{not_yet.event_id}").body.decode()

    from chalicelib.domain.records import Audience, AudienceRule

    others_only = make_event("单位限定测试", audience=AudienceRule(Audience.UNITS, frozenset({"hospital"})))
    page = get_page(client, f"/events/{others_only.event_id}", member).body.decode()
    assert "该活动只面向指定单位的会员" in page
    refused = post_form(client, f"/events/{others_only.event_id}/register", member, [("scope", SERIES)])
    assert refused.status_code == 403 and "该活动只面向指定单位的会员" in refused.body.decode()


def test_a_full_option_is_shown_disabled(client, demo_union, callers, make_event, others):
    event = make_event("选项限额测试", form=QUESTIONS)
    answers = {"name_tag": "甲", "tickets": 1, "size": "L", "family": "no"}
    registration_service.register(get_store(), others[1], event.event_id, SERIES, answers, now())
    html = get_page(client, f"/events/{event.event_id}/register", callers["member"]).body.decode()
    assert re.search(r'value="L" disabled data-full-in="series"', html) and "已满" in html
    fields = [(name, "L" if name == "a.size" else value) for name, value in VALID]
    refused = post_form(client, f"/events/{event.event_id}/register", callers["member"], fields)
    assert refused.status_code == 409 and "您选择的选项名额已满（T恤尺码：大号）" in refused.body.decode()


def test_cross_site_posts_are_refused(client, demo_union, callers, make_event):
    event = make_event("跨站测试")
    member = callers["member"]
    response = post_form(
        client, f"/events/{event.event_id}/register", member, [("scope", SERIES)], Origin="https://evil.example"
    )
    assert response.status_code == 403
    assert _registration(event.event_id, member.staff_no) is None


def test_user_text_is_escaped(client, demo_union, callers, make_event):
    event = make_event(XSS + "羽毛球", form=QUESTIONS, description_zh=XSS)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for path in ("/events", f"/events/{event.event_id}", f"/events/{event.event_id}/poster"):
        html = get_page(client, path).body.decode()
        assert XSS not in html and escaped in html, path
    fields = [(name, XSS if name == "a.name_tag" else "99" if name == "a.tickets" else v) for name, v in VALID]
    html = post_form(client, f"/events/{event.event_id}/register", callers["member"], fields).body.decode()
    assert XSS not in html and f'value="{escaped}"' in html
    fields = [(name, XSS[:20] if name == "a.name_tag" else v) for name, v in VALID]
    assert post_form(client, f"/events/{event.event_id}/register", callers["member"], fields).status_code == 303
    mine = get_page(client, "/me/registrations", callers["member"]).body.decode()
    assert XSS not in mine and "&lt;script&gt;alert(1)&lt;/script&gt;羽毛球" in mine


# ---- waiting list, cancelling, notifications -------------------------------------------------------------------


def test_waiting_cancelling_and_promotion(client, demo_union, callers, make_event, others):
    store, member, first = get_store(), callers["member"], others[2]
    event = make_event("候补流程测试", capacity=1)
    registration_service.register(store, first, event.event_id, SERIES, {}, now())

    page = get_page(client, f"/events/{event.event_id}", member).body.decode()
    assert "名额已满，可报名候补" in page and "报名候补" in page
    response = post_form(client, f"/events/{event.event_id}/register", member, [("scope", SERIES)])
    assert response.status_code == 303
    mine = get_page(client, header(response, "Location"), member).body.decode()
    assert "候补第 1 位" in mine and "目前排第 1 位" in mine
    assert "候补 1 人" in get_page(client, "/events").body.decode()

    registration_service.cancel(store, first, event.event_id, SERIES, now())
    assert _registration(event.event_id, member.staff_no).state is RegistrationState.CONFIRMED
    mine = get_page(client, "/me/registrations", member).body.decode()
    assert "已由候补转正" in mine and "已确认" in mine
    notices = get_page(client, "/me/notifications", member)
    assert notices.status_code == 200
    assert "好消息：您已从候补转为正式报名「候补流程测试」。" in notices.body.decode()
    assert f'href="/events/{event.event_id}"' in notices.body.decode()

    cancelled = post_form(client, f"/events/{event.event_id}/cancel", member, {"scope": SERIES})
    assert cancelled.status_code == 303
    assert header(cancelled, "Location") == f"/me/registrations?cancelled={event.event_id}"
    assert _registration(event.event_id, member.staff_no).state is RegistrationState.CANCELLED
    fresh = store.events.get(event.event_id, consistent=True)
    assert (fresh.confirmed_count, fresh.waiting_count) == (0, 0)
    mine = get_page(client, header(cancelled, "Location"), member).body.decode()
    assert "已取消报名：候补流程测试" in mine and "已取消" in mine
    assert "余 1 个名额" in get_page(client, f"/events/{event.event_id}").body.decode()
    # Cancelling again is refused through the normal error page, not a 500.
    again = post_form(client, f"/events/{event.event_id}/cancel", member, {"scope": SERIES})
    assert again.status_code == 404


def test_my_pages_need_sign_in_and_say_when_empty(client, demo_union, callers):
    assert get_page(client, "/me/registrations").status_code == 303
    assert get_page(client, "/me/notifications").status_code == 303
    empty = get_page(client, "/me/notifications", callers["other_unit_admin"])
    assert empty.status_code == 200 and "暂无通知" in empty.body.decode()
    me = get_page(client, "/me", callers["member"]).body.decode()
    assert 'href="/me/registrations"' in me
