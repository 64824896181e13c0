"""Organiser pages: a unit's events, creating and editing them, status buttons, the registration form editor and
the registrations list with removing, adding by 工号 and the exports."""

import json
import re
from datetime import datetime, timedelta

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.forms import Option, QuestionKind, ShowIf
from chalicelib.domain.records import EventStatus, MemberStatus, NotificationKind, RegistrationState
from chalicelib.storage import get_store
from tests.http.browsing import (
    china_day,
    create_event_by_form,
    get_page,
    header,
    local_input,
    post_form,
    session_cookie,
)


def _event_fields(**changes):
    fields = {
        "owner_unit_id": "cs",
        "kind": "sports",
        "format": "tournament",
        "title_zh": "教职工羽毛球赛",
        "title_en": "",
        "description_zh": "分男单、女单两个项目。",
        "description_en": "",
        "venue": "体育馆",
        "campus": "主校区",
        "contact": "王老师",
        "capacity": "",
        "waiting_list": "1",
        "starts_at": local_input(china_day(40)),
        "ends_at": local_input(china_day(40, 17)),
        "registration_opens_at": "",
        "registration_closes_at": "",
        "cancel_deadline": "",
        "audience_scope": "all",
        "audience_gender": "",
        "audience_min_age": "",
        "audience_max_age": "",
        "sessions": "",
    }
    return {**fields, **changes}


def _create(client, caller, **changes):
    return create_event_by_form(client, caller, _event_fields(**changes))


def _edit_fields(event_id, **changes):
    """The edit form as the page shows it for the stored event, with ``changes``."""
    event = get_store().events.get(event_id)
    fields = _event_fields(
        kind=event.kind.value,
        format=event.format.value,
        title_zh=event.title_zh,
        title_en=event.title_en or "",
        description_zh=event.description_zh,
        venue=event.venue or "",
        campus=event.campus or "",
        contact=event.contact or "",
        capacity="" if event.capacity is None else str(event.capacity),
        waiting_list="1" if event.waiting_list else "",
        starts_at=local_input(event.starts_at),
        ends_at=local_input(event.ends_at),
        registration_opens_at=local_input(event.registration_opens_at) if event.registration_opens_at else "",
    )
    fields.pop("owner_unit_id")
    fields.pop("sessions")
    return {**fields, **changes}


def _status(client, caller, event_id, status):
    return post_form(client, f"/admin/events/{event_id}/status", caller, {"status": status})


def _spare(demo_union, unit_id, count):
    """Active members of the unit without a demo account."""
    taken = {account.staff_no for account in demo_union.accounts}
    spare = [
        m
        for m in demo_union.members
        if m.unit_id == unit_id and m.status is MemberStatus.ACTIVE and m.staff_no not in taken
    ]
    return spare[:count]


def _add(client, caller, event_id, staff_no, scope="series"):
    return post_form(
        client, f"/admin/events/{event_id}/registrations/add", caller, {"staff_no": staff_no, "scope": scope}
    )


# ---- listing and creating ---------------------------------------------------------------------------------------


def test_create_an_event_through_the_page(client, demo_union, callers):
    admin = callers["unit_admin"]
    form = get_page(client, "/admin/events/new", admin).body.decode()
    assert 'type="datetime-local"' in form and 'name="audience_units"' in form and 'name="sessions"' in form
    owners = form.split('name="owner_unit_id"')[1].split("</select>")[0]
    assert 'value="cs"' in owners and 'value="hospital"' not in owners

    event_id = _create(client, admin, title_zh="教职工羽毛球赛（页面新建）", capacity="32")
    event = get_store().events.get(event_id)
    assert event.status is EventStatus.DRAFT and event.owner_unit_id == "cs"
    assert event.starts_at == china_day(40) and event.starts_at.astimezone(CHINA_TZ).hour == 9
    assert event.capacity == 32 and event.waiting_list and event.title_en is None and event.venue == "体育馆"

    edit = get_page(client, f"/admin/events/{event_id}/edit?done=created", admin).body.decode()
    assert "活动已保存为草稿" in edit and f'value="{local_input(china_day(40))}"' in edit
    listing = get_page(client, "/admin/events", admin).body.decode()
    assert "教职工羽毛球赛（页面新建）" in listing and f'href="/admin/events/{event_id}/edit"' in listing
    assert "草稿" in listing and 'href="/admin/events/new' in listing
    admin_home = get_page(client, "/admin", admin).body.decode()
    assert 'href="/admin/events"' in admin_home and "活动管理" in admin_home


def test_a_class_with_sessions_typed_one_a_line(client, demo_union, callers):
    admin = callers["unit_admin"]
    day = china_day(50).date()
    lines = f"{day} 19:00-20:30 体育馆 二楼 20\n\n{day + timedelta(days=7)} 19:00-20:30"
    bad = post_form(
        client,
        "/admin/events/new",
        admin,
        _event_fields(format="class", title_zh="太极拳班", sessions=lines + "\n下周三晚上"),
    )
    html = bad.body.decode()
    assert bad.status_code == 400 and 'id="e-sessions"' in html and "第 4 行看不懂" in html
    assert "太极拳班" in html and "体育馆 二楼 20" in html  # input kept

    event_id = _create(
        client,
        admin,
        format="class",
        title_zh="太极拳班",
        single_sessions="1",
        sessions=lines,
        audience_scope="units",
        audience_units=["cs", "math"],
        audience_gender="F",
        audience_min_age="30",
    )
    event = get_store().events.get(event_id)
    assert event.single_sessions and event.audience.unit_ids == {"cs", "math"}
    assert (event.audience.gender.value, event.audience.min_age, event.audience.max_age) == ("F", 30, None)
    sessions = get_store().sessions.for_event(event_id)
    assert [(s.session_id, s.venue, s.capacity) for s in sessions] == [("s01", "体育馆 二楼", 20), ("s02", None, None)]
    assert sessions[0].starts_at == datetime(day.year, day.month, day.day, 19, tzinfo=CHINA_TZ)
    edit = get_page(client, f"/admin/events/{event_id}/edit", admin).body.decode()
    assert "体育馆 二楼" in edit and 'name="sessions"' not in edit  # shown read-only


def test_problems_are_shown_next_to_their_fields_and_nothing_is_stored(client, demo_union, callers):
    admin = callers["unit_admin"]
    before = len(get_store().events.by_owner("cs"))
    response = post_form(client, "/admin/events/new", admin, _event_fields(title_zh="长" * 10_000, capacity="0"))
    html = response.body.decode()
    assert response.status_code == 400
    assert 'id="e-title_zh"' in html and "120" in html.split('id="e-title_zh"')[1][:200]
    assert 'id="e-capacity"' in html
    assert len(get_store().events.by_owner("cs")) == before

    ends_first = post_form(
        client, "/admin/events/new", admin, _event_fields(ends_at=local_input(china_day(39)), title_zh="", kind="")
    )
    html = ends_first.body.decode()
    assert ends_first.status_code == 400 and 'id="e-title_zh"' in html and 'id="e-kind"' in html
    assert len(get_store().events.by_owner("cs")) == before

    schedule = post_form(client, "/admin/events/new", admin, _event_fields(ends_at=local_input(china_day(39))))
    html = schedule.body.decode()
    assert schedule.status_code == 400 and "结束时间早于开始时间" in html.split('id="e-ends_at"')[1][:200]
    assert len(get_store().events.by_owner("cs")) == before


def test_user_text_is_shown_escaped(client, demo_union, callers):
    admin = callers["unit_admin"]
    event_id = _create(client, admin, title_zh="<script>alert(1)</script>", venue='"><img src=x onerror=alert(1)>')
    for path in (f"/admin/events/{event_id}/edit", "/admin/events", f"/admin/events/{event_id}/registrations"):
        html = get_page(client, path, admin).body.decode()
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<img src=x" not in html


def test_a_unit_admin_manages_only_their_units_events(client, demo_union, callers):
    union, cs_admin = callers["union_admin"], callers["unit_admin"]
    union_form = get_page(client, "/admin/events/new", union).body.decode()
    assert 'value="school"' in union_form and 'value="hospital"' in union_form
    hospital_event = _create(client, union, owner_unit_id="hospital", title_zh="附属医院护理技能比赛")
    assert _status(client, union, hospital_event, "published").status_code == 303

    for path in ("edit", "form", "registrations"):
        assert get_page(client, f"/admin/events/{hospital_event}/{path}", cs_admin).status_code == 403
    edit = post_form(
        client, f"/admin/events/{hospital_event}/edit", cs_admin, _edit_fields(hospital_event, title_zh="改")
    )
    assert edit.status_code == 403 and get_store().events.get(hospital_event).title_zh == "附属医院护理技能比赛"
    assert _status(client, cs_admin, hospital_event, "cancelled").status_code == 403
    assert _add(client, cs_admin, hospital_event, cs_admin.staff_no).status_code == 403
    assert get_store().events.get(hospital_event).status is EventStatus.PUBLISHED
    assert get_page(client, "/admin/events?unit=hospital", cs_admin).status_code == 403
    assert "附属医院护理技能比赛" not in get_page(client, "/admin/events", cs_admin).body.decode()
    assert "附属医院护理技能比赛" in get_page(client, "/admin/events?unit=hospital", union).body.decode()

    # Another unit's draft is not even there for them, as in the API.
    hospital_draft = _create(client, union, owner_unit_id="hospital", title_zh="附属医院草稿")
    assert get_page(client, f"/admin/events/{hospital_draft}/edit", cs_admin).status_code == 404

    before = len(get_store().events.by_owner("hospital"))
    refused = post_form(client, "/admin/events/new", cs_admin, _event_fields(owner_unit_id="hospital", title_zh="越权"))
    assert refused.status_code == 403 and len(get_store().events.by_owner("hospital")) == before
    assert get_page(client, "/admin/events", callers["member"]).status_code == 403


def test_cross_site_posts_are_refused(client, demo_union, callers):
    admin = callers["unit_admin"]
    before = len(get_store().events.by_owner("cs"))
    response = post_form(client, "/admin/events/new", admin, _event_fields(), Origin="https://evil.example")
    assert response.status_code == 403 and len(get_store().events.by_owner("cs")) == before


# ---- status and edits -------------------------------------------------------------------------------------------


def test_status_buttons_follow_the_allowed_transitions(client, demo_union, callers):
    admin = callers["unit_admin"]
    event_id = _create(client, admin, title_zh="状态按钮测试")
    html = get_page(client, f"/admin/events/{event_id}/edit", admin).body.decode()
    buttons = re.findall(r'name="status" value="([a-z_]+)"', html)
    assert buttons == ["published", "cancelled"] and 'value="cancelled" data-confirm="' in html

    response = _status(client, admin, event_id, "published")
    assert response.status_code == 303 and header(response, "Location").endswith("?done=status")
    assert get_store().events.get(event_id).status is EventStatus.PUBLISHED
    html = get_page(client, f"/admin/events/{event_id}/edit?done=status", admin).body.decode()
    assert "活动状态已更新" in html
    # No opening time: registration is open by the clock once published, so 开放报名 is no choice (status_choices).
    assert re.findall(r'name="status" value="([a-z_]+)"', html) == ["registration_closed", "running", "cancelled"]

    refused = _status(client, admin, event_id, "finished")
    assert refused.status_code == 409 and "不能从“已发布”变为“已结束”" in refused.body.decode()
    unknown = _status(client, admin, event_id, "nonsense")
    assert unknown.status_code == 400
    assert get_store().events.get(event_id).status is EventStatus.PUBLISHED


def test_moving_the_date_after_someone_registered_needs_confirmation(client, demo_union, callers):
    admin, member = callers["unit_admin"], callers["member"]
    event_id = _create(client, admin, title_zh="改期确认测试", capacity="10")
    for status in ("published", "registration_open"):
        assert _status(client, admin, event_id, status).status_code == 303
    registered = client.http.post(
        f"/api/events/{event_id}/registrations",
        headers=member.headers(**{"Content-Type": "application/json"}),
        body=json.dumps({}),
    )
    assert registered.status_code == 201, registered.body

    moved = _edit_fields(event_id, starts_at=local_input(china_day(41)), ends_at=local_input(china_day(41, 17)))
    asked = post_form(client, f"/admin/events/{event_id}/edit", admin, moved)
    html = asked.body.decode()
    assert asked.status_code == 409
    assert "活动时间改变" in html and "我已知晓，通知已报名会员" in html and 'name="confirm" value="1"' in html
    assert f'value="{local_input(china_day(41))}"' in html  # the new date is kept in the form
    assert get_store().events.get(event_id).starts_at == china_day(40)

    saved = post_form(client, f"/admin/events/{event_id}/edit", admin, {**moved, "confirm": "1"})
    assert saved.status_code == 303 and header(saved, "Location").endswith("?done=saved")
    assert get_store().events.get(event_id).starts_at == china_day(41)
    notices = get_store().notifications.for_member(member.staff_no)
    assert any(n.kind is NotificationKind.EVENT_CHANGED and n.event_id == event_id for n in notices)

    # Saving the unchanged form asks nothing and changes nothing.
    again = post_form(client, f"/admin/events/{event_id}/edit", admin, _edit_fields(event_id))
    assert again.status_code == 303


def test_capacity_below_the_confirmed_count_is_refused_in_words(client, demo_union, callers):
    admin = callers["unit_admin"]
    event_id = _create(client, admin, title_zh="名额测试", capacity="5")
    assert _status(client, admin, event_id, "published").status_code == 303
    for member in _spare(demo_union, "cs", 2):
        assert _add(client, admin, event_id, member.staff_no).status_code == 303
    response = post_form(client, f"/admin/events/{event_id}/edit", admin, _edit_fields(event_id, capacity="1"))
    html = response.body.decode()
    assert response.status_code == 409 and "名额不能少于已确认的人数（2 人）" in html
    assert get_store().events.get(event_id).capacity == 5


# ---- the registration form editor --------------------------------------------------------------------------------


def _row(index, **values):
    return {f"q{index}_{name}": value for name, value in values.items()}


def test_the_form_editor_builds_choice_and_show_if_questions(client, demo_union, callers):
    admin = callers["unit_admin"]
    event_id = _create(client, admin, title_zh="报名表测试")
    page = get_page(client, f"/admin/events/{event_id}/form", admin).body.decode()
    assert page.count('name="q14_label_zh"') == 1 and 'name="q15_label_zh"' not in page
    assert f'href="/events/{event_id}/register"' in page

    fields = {
        "rows": "15",
        **_row(0, id="size", kind="single_choice", label_zh="T恤尺码", label_en="T-shirt size", required="1",
               options="S:小号:50, M:中号:80, L:大号"),
        **_row(1, id="", kind="yes_no", label_zh="是否参加聚餐"),
        **_row(2, id="", kind="text", label_zh="忌口", max_length="50", show_if="q1=yes"),
        **_row(3, id="", kind="number", label_zh="", max="9"),  # no label: left out
        **_row(4, id="", kind="multiple_choice", label_zh="项目", options="A:男单\nB:女单\nC:混双", max_choices="2",
               show_if="size=M|L"),
    }  # fmt: skip
    bad = post_form(client, f"/admin/events/{event_id}/form", admin, {**fields, **_row(2, show_if="zz=yes")})
    html = bad.body.decode()
    assert bad.status_code == 400 and "没有这个问题" in html and "T恤尺码" in html
    assert get_store().events.get(event_id).form == ()
    age = _row(3, label_zh="年龄", min="abc")
    not_a_number = post_form(client, f"/admin/events/{event_id}/form", admin, {**fields, **age})
    assert not_a_number.status_code == 400 and "最小值：应为数字" in not_a_number.body.decode()
    assert get_store().events.get(event_id).form == ()

    saved = post_form(client, f"/admin/events/{event_id}/form", admin, fields)
    assert saved.status_code == 303 and header(saved, "Location").endswith("?done=form")
    form = get_store().events.get(event_id).form
    assert [q.question_id for q in form] == ["size", "q1", "q2", "q3"]
    size, dinner, diet, events = form
    assert size.kind is QuestionKind.SINGLE_CHOICE and size.required and size.label_en == "T-shirt size"
    assert size.options == (Option("S", "小号", None, 50), Option("M", "中号", None, 80), Option("L", "大号"))
    assert dinner.kind is QuestionKind.YES_NO and not dinner.required
    assert diet.show_if == ShowIf("q1", ("yes",)) and diet.max_length == 50
    assert events.max_choices == 2 and events.show_if == ShowIf("size", ("M", "L")) and len(events.options) == 3

    page = get_page(client, f"/admin/events/{event_id}/form?done=form", admin).body.decode()
    assert "报名表已保存" in page and 'value="q1=yes"' in page and "S:小号:50, M:中号:80, L:大号" in page

    # Once members have registered, a form change that would change their answers' meaning is refused.
    assert _status(client, admin, event_id, "published").status_code == 303
    member = _spare(demo_union, "cs", 3)[2]
    assert _add(client, admin, event_id, member.staff_no).status_code == 303
    now_required = {**fields, **_row(1, required="1")}
    refused = post_form(client, f"/admin/events/{event_id}/form", admin, now_required)
    assert refused.status_code == 409 and "报名表只能修改文字" in refused.body.decode()
    assert not get_store().events.get(event_id).form[1].required
    relabelled = {**fields, **_row(1, label_zh="是否参加晚宴")}
    assert post_form(client, f"/admin/events/{event_id}/form", admin, relabelled).status_code == 303
    assert get_store().events.get(event_id).form[1].label_zh == "是否参加晚宴"


# ---- registrations ------------------------------------------------------------------------------------------------


def test_registrations_list_filters_remove_and_add(client, demo_union, callers):
    admin = callers["unit_admin"]
    event_id = _create(client, admin, title_zh="名单测试", capacity="2")
    assert _status(client, admin, event_id, "published").status_code == 303
    first, second, third = _spare(demo_union, "cs", 6)[3:6]
    for member in (first, second):
        response = _add(client, admin, event_id, member.staff_no)
        assert response.status_code == 303 and header(response, "Location").endswith("?done=added")
    waiting = _add(client, admin, event_id, third.staff_no.lower())  # 工号 typed in lower case
    assert waiting.status_code == 303 and header(waiting, "Location").endswith("?done=added_waiting")
    actions = [entry.action for entry in get_store().audit.for_unit("cs")]
    assert actions.count("registration.add") >= 3

    base = f"/admin/events/{event_id}/registrations"
    html = get_page(client, base, admin).body.decode()
    assert all(m.staff_no in html and m.name in html for m in (first, second, third))
    assert "第 1 位" in html and "计算机科学与技术学院分工会" in html and "全程" in html
    assert "按单位汇总（已报名 / 已确认 / 候补）" in html and "已确认 2" in html and "候补 1" in html
    assert f'href="/api/events/{event_id}/export?format=xlsx"' in html
    assert f'href="/api/events/{event_id}/export?format=csv"' in html
    only_waiting = get_page(client, base + "?state=waiting", admin).body.decode()
    assert third.staff_no in only_waiting and first.staff_no not in only_waiting
    other_unit = get_page(client, base + "?unit=hospital", admin).body.decode()
    assert first.staff_no not in other_unit and "没有符合条件的报名" in other_unit
    assert get_page(client, base + "?state=nonsense", admin).status_code == 400

    unknown = _add(client, admin, event_id, "NOBODY999")
    assert unknown.status_code == 404 and "没有工号为 NOBODY999 的会员" in unknown.body.decode()
    again = _add(client, admin, event_id, first.staff_no)
    assert again.status_code == 409 and f"{first.staff_no} 已经报名了" in again.body.decode()

    no_reason = post_form(
        client, base + "/remove", admin, {"staff_no": first.staff_no, "scope": "series", "reason": ""}
    )
    assert no_reason.status_code == 400 and "请填写移除原因" in no_reason.body.decode()
    store = get_store()
    assert store.registrations.get(event_id, "series", first.staff_no).state is RegistrationState.CONFIRMED

    removed = post_form(
        client, base + "/remove", admin, {"staff_no": first.staff_no, "scope": "series", "reason": "重复报名"}
    )
    assert removed.status_code == 303 and header(removed, "Location").endswith("?done=removed")
    assert store.registrations.get(event_id, "series", first.staff_no).state is RegistrationState.REMOVED
    assert store.registrations.get(event_id, "series", third.staff_no).state is RegistrationState.CONFIRMED
    event = store.events.get(event_id)
    assert (event.confirmed_count, event.waiting_count) == (2, 0)
    assert "registration.remove" in [entry.action for entry in store.audit.for_unit("cs")]
    html = get_page(client, base + "?done=removed&state=removed", admin).body.decode()
    assert "已移除该报名" in html and "重复报名" in html and first.staff_no in html

    twice = post_form(
        client, base + "/remove", admin, {"staff_no": first.staff_no, "scope": "series", "reason": "再次"}
    )
    assert twice.status_code == 404 and "没有找到这条有效报名" in twice.body.decode()


def test_answers_are_shown_in_words(client, demo_union, callers):
    admin, member = callers["unit_admin"], callers["member"]
    event_id = _create(client, admin, title_zh="答案显示测试")
    fields = {"rows": "15", **_row(0, id="size", kind="single_choice", label_zh="尺码", options="S:小号, M:中号")}
    assert post_form(client, f"/admin/events/{event_id}/form", admin, fields).status_code == 303
    for status in ("published", "registration_open"):
        assert _status(client, admin, event_id, status).status_code == 303
    registered = client.http.post(
        f"/api/events/{event_id}/registrations",
        headers=member.headers(**{"Content-Type": "application/json"}),
        body=json.dumps({"answers": {"size": "M"}}),
    )
    assert registered.status_code == 201, registered.body
    html = get_page(client, f"/admin/events/{event_id}/registrations", admin).body.decode()
    assert "尺码：中号" in html


def test_export_links_return_the_files(client, demo_union, callers):
    admin = callers["unit_admin"]
    event_id = _create(client, admin, title_zh="导出测试")
    assert _status(client, admin, event_id, "published").status_code == 303
    assert _add(client, admin, event_id, _spare(demo_union, "cs", 7)[6].staff_no).status_code == 303
    html = get_page(client, f"/admin/events/{event_id}/registrations", admin).body.decode()
    links = re.findall(r'href="(/api/events/[^"]+/export\?format=(?:xlsx|csv))"', html)
    assert links == [f"/api/events/{event_id}/export?format=xlsx", f"/api/events/{event_id}/export?format=csv"]
    # Followed as a browser does: with the session cookie and a browser's Accept header.
    browser = {**session_cookie(admin), "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    xlsx = client.http.get(links[0], headers=browser)
    assert xlsx.status_code == 200 and xlsx.body[:2] == b"PK"
    assert "spreadsheetml" in header(xlsx, "Content-Type")
    csv = client.http.get(links[1], headers=browser)
    assert csv.status_code == 200 and "工号" in csv.body.decode("utf-8-sig")


def test_pages_in_english(client, demo_union, callers):
    admin = callers["unit_admin"]
    html = get_page(client, "/admin/events?lang=en", admin).body.decode()
    assert '<html lang="en">' in html and "New event" in html
    event_id = _create(client, admin, title_zh="英文页面测试", title_en="English page test")
    html = get_page(client, f"/admin/events/{event_id}/edit?lang=en", admin).body.decode()
    assert "English page test" in html and "Publish" in html and "Organising unit" in html
