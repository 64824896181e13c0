"""Admin pages: members, editing, activation codes, roster import page, sub-unions and the change log."""

import re
from urllib.parse import urlencode

from chalicelib.domain.records import MemberStatus
from chalicelib.storage import get_store
from chalicelib.web.assets import asset_url
from tests.http.browsing import get_page, header, member_fields, post_form

MEMBER_LINK = re.compile(r'href="/admin/members/([^"/]+)"')  # a member's page (not their year's, /year)


def _members_of(demo_union, unit_id):
    return [m for m in demo_union.members if m.unit_id == unit_id]


def _spare(demo_union, unit_id, index=0):
    """An active member of the unit without a demo account."""
    taken = {account.staff_no for account in demo_union.accounts}
    spare = [m for m in _members_of(demo_union, unit_id) if m.status is MemberStatus.ACTIVE and m.staff_no not in taken]
    return spare[index]


def test_admin_home_lists_the_units_a_person_administers(client, demo_union, callers):
    html = get_page(client, "/admin", callers["unit_admin"]).body.decode()
    assert "计算机科学与技术学院分工会" in html and 'href="/admin/units/cs/members"' in html
    assert "附属医院分工会" not in html and 'href="/admin/units"' not in html
    union = get_page(client, "/admin", callers["union_admin"]).body.decode()
    assert union.count('href="/admin/audit?unit_id=') == len(get_store().units.children("school"))
    assert 'href="/admin/units"' in union and 'href="/admin/audit"' in union


def test_admin_pages_are_for_admins(client, demo_union, callers):
    assert client.http.get("/admin").status_code == 303
    refused = get_page(client, "/admin", callers["member"])
    assert refused.status_code == 403 and "您没有权限" in refused.body.decode()
    assert get_page(client, "/admin/units", callers["unit_admin"]).status_code == 403


def test_unit_admin_sees_their_members(client, demo_union, callers):
    response = get_page(client, "/admin/units/cs/members", callers["unit_admin"])
    html = response.body.decode()
    assert response.status_code == 200
    shown = MEMBER_LINK.findall(html)
    expected = sorted(m.staff_no for m in _members_of(demo_union, "cs"))
    assert shown == expected[:20]
    first = next(m for m in _members_of(demo_union, "cs") if m.staff_no == shown[0])
    assert first.name in html and (first.phone or "") in html
    assert 'action="/admin/units/cs/activation-codes"' in html


def test_member_search_by_name_and_by_staff_number_prefix(client, demo_union, callers):
    target = _spare(demo_union, "cs", 3)
    by_name = get_page(client, "/admin/units/cs/members?" + urlencode({"q": target.name}), callers["unit_admin"])
    found = MEMBER_LINK.findall(by_name.body.decode())
    assert target.staff_no in found
    names = {m.staff_no: m.name for m in demo_union.members}
    assert all(target.name in names[staff_no] for staff_no in found)

    prefix = target.staff_no[:5]
    by_number = get_page(client, f"/admin/units/cs/members?q={prefix}", callers["unit_admin"]).body.decode()
    found = MEMBER_LINK.findall(by_number)
    assert target.staff_no in found and all(staff_no.startswith(prefix) for staff_no in found)
    assert f'value="{prefix}"' in by_number  # the search box keeps the query

    nobody = get_page(client, "/admin/units/cs/members?q=ZZZZ9", callers["unit_admin"]).body.decode()
    assert MEMBER_LINK.findall(nobody) == [] and "没有找到会员" in nobody


def test_member_list_pages_through_a_big_unit(client, demo_union, callers):
    seen, path, pages = [], "/admin/units/hospital/members", 0
    while path:
        html = get_page(client, path, callers["union_admin"]).body.decode()
        pages += 1
        seen.extend(MEMBER_LINK.findall(html))
        following = re.search(r'href="(/admin/units/hospital/members\?cursor=[^"]+)"', html)
        path = following.group(1).replace("&amp;", "&") if following else None
        assert pages < 10
    assert pages >= 2 and "下一页" not in html
    assert seen == sorted(m.staff_no for m in _members_of(demo_union, "hospital"))


def test_another_units_admin_is_refused(client, demo_union, callers):
    response = get_page(client, "/admin/units/cs/members", callers["other_unit_admin"])
    assert response.status_code == 403
    assert "<h1>出错了" in response.body.decode()
    member = _spare(demo_union, "cs", 0)
    assert get_page(client, f"/admin/members/{member.staff_no}", callers["other_unit_admin"]).status_code == 403
    assert post_form(client, "/admin/units/cs/activation-codes", callers["other_unit_admin"], {}).status_code == 403


def test_editing_a_member_saves_and_is_in_the_change_log(client, demo_union, callers):
    admin = callers["unit_admin"]
    member = _spare(demo_union, "cs", 4)
    page = get_page(client, f"/admin/members/{member.staff_no}", admin).body.decode()
    assert f'value="{member.name}"' in page and '<option value="cs" selected>' in page

    response = post_form(client, f"/admin/members/{member.staff_no}", admin, member_fields(member, phone="13912345678"))
    assert response.status_code == 303
    assert header(response, "Location") == f"/admin/members/{member.staff_no}?saved=1"
    saved = get_page(client, header(response, "Location"), admin).body.decode()
    assert "已保存" in saved and 'value="13912345678"' in saved
    assert get_store().members.get(member.staff_no).phone == "13912345678"

    log = get_page(client, "/admin/audit?unit_id=cs", admin).body.decode()
    assert "修改会员资料" in log and member.staff_no in log
    assert "13912345678" in log and (member.phone or "—") in log
    assert log.index("13912345678") > log.index("手机号")
    # A unit admin's change log defaults to their own unit.
    assert "13912345678" in get_page(client, "/admin/audit", admin).body.decode()


def test_bad_member_input_is_shown_next_to_the_fields(client, demo_union, callers):
    member = _spare(demo_union, "cs", 5)
    fields = member_fields(member, name="", birth_date="17/04/1985")
    response = post_form(client, f"/admin/members/{member.staff_no}", callers["unit_admin"], fields)
    html = response.body.decode()
    assert response.status_code == 400
    assert 'id="e-name"' in html and "必填项" in html
    assert 'id="e-birth_date"' in html and 'value="17/04/1985"' in html
    assert get_store().members.get(member.staff_no).name == member.name


def test_moving_a_member_to_a_unit_one_does_not_administer_is_refused(client, demo_union, callers):
    member = _spare(demo_union, "cs", 6)
    response = post_form(
        client, f"/admin/members/{member.staff_no}", callers["unit_admin"], member_fields(member, unit_id="hospital")
    )
    assert response.status_code == 403
    assert get_store().members.get(member.staff_no).unit_id == "cs"


def test_activation_code_sheet_downloads_from_the_members_page(client, demo_union, callers):
    response = post_form(client, "/admin/units/cs/activation-codes", callers["unit_admin"], {})
    assert response.status_code == 200
    assert header(response, "Content-Type") == "text/csv; charset=utf-8"
    assert header(response, "Content-Disposition").startswith('attachment; filename="activation-codes-cs-')
    text = response.body.decode("utf-8")
    assert text.startswith("\ufeff工号 Staff No,姓名 Name,激活码 Activation code,有效期至 Valid until")
    assert len(text.strip().splitlines()) > 1


def test_roster_import_page_and_template(client, demo_union, callers):
    html = get_page(client, "/admin/import", callers["unit_admin"]).body.decode()
    script = client.http.get(asset_url("admin_import.js")).body.decode()
    assert asset_url("admin_import.js") in html and 'id="import-strings"' in html
    assert "fetch('/api/roster/imports?filename=' + encodeURIComponent(file.name)" in script
    assert "credentials: 'same-origin'" in script and "message_zh" in script
    assert "1985年4月17日" in html and "离职" in html and 'href="/admin/import/template.csv"' in html

    template = get_page(client, "/admin/import/template.csv", callers["unit_admin"])
    assert template.status_code == 200
    assert header(template, "Content-Type") == "text/csv; charset=utf-8"
    assert "attachment" in header(template, "Content-Disposition")
    assert template.body.decode("utf-8") == "\ufeff工号,姓名,性别,出生日期,二级工会,手机号,邮箱,状态\r\n"


def test_union_admin_creates_a_unit_and_appoints_its_admins(client, demo_union, callers):
    union = callers["union_admin"]
    fields = {
        "action": "create",
        "unit_id": "museum",
        "name_zh": "校史馆分工会",
        "short_name": "校史馆",
        "position": "",
    }
    response = post_form(client, "/admin/units", union, fields)
    assert response.status_code == 303 and header(response, "Location").startswith("/admin/units?done=created")
    page = get_page(client, "/admin/units?done=created", union).body.decode()
    assert "二级工会已创建" in page and "校史馆分工会" in page and 'id="unit-museum"' in page
    assert get_store().units.get("museum").name_zh == "校史馆分工会"

    again = post_form(client, "/admin/units", union, fields)
    assert again.status_code == 409 and "已被使用" in again.body.decode()
    bad = post_form(client, "/admin/units", union, {**fields, "unit_id": "Museum 2", "name_zh": ""})
    assert bad.status_code == 400 and 'id="e-unit_id"' in bad.body.decode() and 'id="e-name_zh"' in bad.body.decode()

    first, second = _spare(demo_union, "admin", 0), _spare(demo_union, "admin", 1)
    appoint = {"action": "admins", "unit_id": "museum", "staff_nos": f"{first.staff_no}，{second.staff_no.lower()}"}
    response = post_form(client, "/admin/units", union, appoint)
    assert response.status_code == 303
    assert get_store().units.get("museum").admins == {first.staff_no, second.staff_no}
    assert "museum" in get_store().members.get(first.staff_no).admin_units

    unknown = post_form(client, "/admin/units", union, {**appoint, "staff_nos": "NOSUCH99"})
    assert unknown.status_code == 409 and "已登记的会员" in unknown.body.decode()

    log = get_page(client, "/admin/audit", union).body.decode()
    assert "新建二级工会" in log and "设置管理员" in log


def test_change_log_of_another_unit_is_refused(client, demo_union, callers):
    assert get_page(client, "/admin/audit?unit_id=hospital", callers["unit_admin"]).status_code == 403


def test_form_posts_from_other_sites_change_nothing(client, demo_union, callers):
    member = _spare(demo_union, "cs", 7)
    response = post_form(
        client,
        f"/admin/members/{member.staff_no}",
        callers["unit_admin"],
        member_fields(member, name="改名测试"),
        Origin="https://evil.example",
        Host="union.example.edu.cn",
    )
    assert response.status_code == 403
    assert get_store().members.get(member.staff_no).name == member.name


def test_admin_pages_in_english(client, demo_union, callers):
    response = get_page(client, "/admin/units/hospital/members?lang=en", callers["union_admin"])
    html = response.body.decode()
    assert '<html lang="en">' in html
    assert "Affiliated Hospital Union Branch · Members" in html and "Next page" in html and "Search" in html


def test_admin_pages_load_nothing_from_elsewhere(client, demo_union, callers):
    for path in ("/admin", "/admin/import", "/admin/units", "/admin/audit", "/admin/units/cs/members"):
        html = get_page(client, path, callers["union_admin"]).body.decode()
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), path
        assert len(html.encode()) < 60_000, path
