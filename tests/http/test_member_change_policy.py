"""One member change policy for every path (issue 15, item 1): the roster import attack through the API and the
import page, the member edit (API and page), appointing unit admins, and the last union admin."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlencode

import pytest

from chalicelib.domain.access import UNION_ADMIN_ROLE
from chalicelib.domain.records import Gender, Member, MemberStatus
from chalicelib.errors import Conflict
from chalicelib.services import organisation
from chalicelib.services.identity import principal_for
from chalicelib.storage import get_store
from tests.http.browsing import member_fields

ROSTER_HEADER = ["工号", "姓名", "性别", "出生日期", "二级工会", "手机号", "状态"]


def _roster(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ROSTER_HEADER)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def _import_by_api(client, caller, data: bytes):
    headers = caller.headers(**{"Content-Type": "text/csv"})
    return client.http.post("/api/roster/imports?filename=roster.csv", headers=headers, body=data)


def _import_from_page(client, caller, data: bytes, lang: str = "zh"):
    """What the import page's script sends: the file, with the session cookie, from the page itself."""
    headers = {"Cookie": f"session={caller.token}", "Content-Type": "text/csv", "Sec-Fetch-Site": "same-origin"}
    return client.http.post(f"/api/roster/imports?filename=roster.csv&lang={lang}", headers=headers, body=data)


def _patch(client, caller, staff_no: str, body: dict):
    headers = caller.headers(**{"Content-Type": "application/json"})
    return client.http.patch(f"/api/members/{staff_no}", headers=headers, body=json.dumps(body).encode())


def _post_form(client, caller, path: str, fields: dict):
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"session={caller.token}",
        "Sec-Fetch-Site": "same-origin",
    }
    return client.http.post(path, headers=headers, body=urlencode(fields))


def _stored(staff_no: str) -> Member:
    member = get_store().members.get(staff_no)
    assert member is not None
    return member


def _spare(demo_union, unit_id: str, index: int = 0) -> Member:
    taken = {account.staff_no for account in demo_union.accounts}
    spare = [
        m
        for m in demo_union.members
        if m.unit_id == unit_id and m.status is MemberStatus.ACTIVE and m.staff_no not in taken
    ]
    return spare[index]


def _row(member: Member, unit: str = "计算机学院", status: str = "离职", name: str = "被改名") -> list[str]:
    return [member.staff_no, name, "女", "1985-01-01", unit, "13800000009", status]


@pytest.fixture(scope="module")
def victims(demo_union, callers):
    """The union admin, the hospital's admin and a plain member of the hospital, as stored before any attack."""
    return {
        "union_admin": _stored(callers["union_admin"].staff_no),
        "hospital_admin": _stored(callers["other_unit_admin"].staff_no),
        "hospital_member": _stored(_spare(demo_union, "hospital", 0).staff_no),
    }


@pytest.mark.parametrize("path", ["api", "page"])
def test_a_unit_admin_cannot_take_over_members_of_other_units_by_import(client, callers, victims, path):
    """The attack of issue 15: 计算机学院's admin imports rows with the union admin's 工号, another unit's admin's
    and a member of another unit, moving them into 计算机学院 and setting 离职. Every such row is reported and the
    whole file is refused: nothing changes, not even the importer's own new member."""
    newcomer = "T15A01" if path == "api" else "T15A02"
    file = _roster(
        [
            [newcomer, "新会员", "男", "1990-04-17", "计算机学院", "", ""],
            _row(victims["union_admin"]),
            _row(victims["hospital_admin"]),
            _row(victims["hospital_member"], unit="cs"),
        ]
    )
    send = _import_by_api if path == "api" else _import_from_page
    response = send(client, callers["unit_admin"], file)

    assert response.status_code == 200
    report = response.json_body
    assert report["accepted"] is False and report["created"] == report["updated"] == 0
    refused = [(p["row"], p["column"], p["code"], p["value"]) for p in report["problems"]]
    assert refused == [
        (3, "staff_no", "member_change.member_unit", victims["union_admin"].staff_no),
        (4, "staff_no", "member_change.member_unit", victims["hospital_admin"].staff_no),
        (5, "staff_no", "member_change.member_unit", victims["hospital_member"].staff_no),
    ]
    first = report["problems"][0]
    assert first["message_zh"].startswith("第 3 行“工号”：") and "其他二级工会" in first["message_zh"]
    assert first["message_en"].startswith("Row 3, Staff No: ") and "another unit" in first["message_en"]
    # The other unit is not named to someone who does not administer it.
    assert "附属医院" not in json.dumps(report, ensure_ascii=False)

    for victim in victims.values():
        assert _stored(victim.staff_no) == victim  # name, unit, status, phone: all as before
    assert get_store().members.get(newcomer) is None
    # The union admin can still sign in and act.
    assert client.http.get("/api/units", headers=callers["union_admin"].headers()).status_code == 200


def test_a_row_naming_another_unit_is_reported_at_its_unit_cell(client, callers, demo_union):
    file = _roster([["T15A03", "李四", "男", "1980-01-01", "附属医院", "", ""]])
    report = _import_by_api(client, callers["unit_admin"], file).json_body
    assert report["accepted"] is False
    assert [(p["row"], p["column"], p["code"], p["value"]) for p in report["problems"]] == [
        (2, "unit", "member_change.target_unit", "hospital")
    ]
    assert get_store().members.get("T15A03") is None


def test_refused_rows_and_faults_of_the_file_are_reported_together_in_row_order(client, callers, victims):
    file = _roster(
        [
            _row(victims["hospital_member"]),
            ["T15A04", "王五", "男", "1980-02-30", "计算机学院", "", ""],
        ]
    )
    report = _import_by_api(client, callers["unit_admin"], file).json_body
    assert [(p["row"], p["code"]) for p in report["problems"]] == [(2, "member_change.member_unit"), (3, "bad_date")]
    assert _stored(victims["hospital_member"].staff_no) == victims["hospital_member"]


def test_nobody_sets_themselves_left_by_import(client, callers):
    for name in ("unit_admin", "union_admin"):
        me = _stored(callers[name].staff_no)
        unit = "计算机学院" if me.unit_id == "cs" else me.unit_id
        report = _import_by_api(client, callers[name], _roster([_row(me, unit=unit, name=me.name)])).json_body
        assert [(p["row"], p["code"]) for p in report["problems"]] == [(2, "member_change.own_rights")]
        assert _stored(me.staff_no) == me


def test_the_import_page_shows_refused_rows_in_english(client, callers, victims):
    report = _import_from_page(client, callers["unit_admin"], _roster([_row(victims["union_admin"])]), "en")
    problem = report.json_body["problems"][0]
    assert problem["message_en"] == (
        f'Row 2, Staff No: the member with staff number "{victims["union_admin"].staff_no}" belongs to another '
        "unit; an import cannot change them or move them into your unit"
    )


def test_own_members_are_still_imported(client, callers, demo_union):
    member = _spare(demo_union, "cs", 2)
    gender = "女" if member.gender is Gender.FEMALE else "男"
    born = member.birth_date.isoformat()
    file = _roster([[member.staff_no, member.name, gender, born, "cs", "13800000015", "退休"]])
    report = _import_by_api(client, callers["unit_admin"], file).json_body
    assert (report["accepted"], report["updated"]) == (True, 1)
    stored = _stored(member.staff_no)
    assert (stored.phone, stored.status) == ("13800000015", MemberStatus.RETIRED)


def test_the_store_asks_the_policy_again_before_it_writes(dynamodb, demo_union, callers, victims):
    """A member moved away between the check and the write is not written over: the batch is refused."""
    from chalicelib.services.roster_import import import_permit

    store = get_store()
    cs_admin = principal_for(_stored(callers["unit_admin"].staff_no))
    victim = victims["hospital_member"]
    row = victim._replace(name="被改名", unit_id="cs", status=MemberStatus.LEFT)
    with pytest.raises(Conflict) as stopped:
        store.organisation.import_members(cs_admin.staff_no, [row], permit=import_permit(cs_admin))
    assert stopped.value.code == "roster_changed"
    assert _stored(victim.staff_no) == victim


# ---- the member edit: API and page ----------------------------------------------------------------------------


def test_a_unit_admin_cannot_edit_the_union_admin_or_another_units_admin(client, callers, victims):
    for victim in ("union_admin", "hospital_admin"):
        staff_no = victims[victim].staff_no
        response = _patch(client, callers["unit_admin"], staff_no, {"unit_id": "cs", "status": "left"})
        assert response.status_code == 403
        assert response.json_body["error"]["code"] == "member_change.member_unit"
        assert "不是该会员所在二级工会的管理员" in response.json_body["error"]["message"]
        assert _stored(staff_no) == victims[victim]


def test_nobody_removes_their_own_admin_rights_by_editing(client, callers):
    for name in ("unit_admin", "union_admin"):
        me = _stored(callers[name].staff_no)
        response = _patch(client, callers[name], me.staff_no, {"status": "left"})
        assert response.status_code == 403
        assert response.json_body["error"]["code"] == "member_change.own_rights"
        assert _stored(me.staff_no).status is MemberStatus.ACTIVE
    # An admin still changes their own details.
    me = _stored(callers["unit_admin"].staff_no)
    assert _patch(client, callers["unit_admin"], me.staff_no, {"phone": "13800000016"}).status_code == 200


def test_the_edit_page_says_why_a_change_is_refused(client, callers):
    me = _stored(callers["unit_admin"].staff_no)
    response = _post_form(
        client, callers["unit_admin"], f"/admin/members/{me.staff_no}", member_fields(me, status="left")
    )
    assert response.status_code == 403
    html = response.body.decode()
    assert "不能取消您自己的管理员权限" in html
    assert 'name="status"' in html and f'value="{me.name}"' in html  # the form is shown again, as it was sent
    assert _stored(me.staff_no).status is MemberStatus.ACTIVE
    english = _post_form(
        client, callers["unit_admin"], f"/admin/members/{me.staff_no}?lang=en", member_fields(me, status="left")
    )
    assert "You cannot remove your own admin rights" in english.body.decode()


def test_only_a_union_admin_changes_a_union_admin(client, callers, demo_union):
    """A second union admin who is a member of 计算机学院: its unit admin may not touch them, a union admin may."""
    store = get_store()
    second = _spare(demo_union, "cs", 7)._replace(roles=frozenset({UNION_ADMIN_ROLE}))
    store.members.put_many([second])

    refused = _patch(client, callers["unit_admin"], second.staff_no, {"phone": "13800000017"})
    assert refused.status_code == 403 and refused.json_body["error"]["code"] == "member_change.union_admin"
    page = _post_form(
        client, callers["unit_admin"], f"/admin/members/{second.staff_no}", member_fields(second, phone="13800000017")
    )
    assert page.status_code == 403
    assert _stored(second.staff_no).phone == second.phone

    allowed = _patch(client, callers["union_admin"], second.staff_no, {"phone": "13800000017"})
    assert allowed.status_code == 200 and _stored(second.staff_no).phone == "13800000017"


def test_two_union_admins_cannot_remove_each_other_at_once(demo_union, callers):
    """The last union admin stays: a union admin whose own rights ended meanwhile cannot end the other's."""
    store = get_store()
    first = _stored(callers["union_admin"].staff_no)
    second = _spare(demo_union, "math", 0)._replace(roles=frozenset({UNION_ADMIN_ROLE}))
    store.members.put_many([second])
    first_as_seen, second_as_seen = principal_for(first), principal_for(second)

    # The second sets the first 离职 (allowed: the second stays) ...
    organisation.change_member(store, second_as_seen, first, {"status": MemberStatus.LEFT})
    # ... while the first, checked before that, sets the second 离职: refused when written.
    with pytest.raises(Conflict):
        organisation.change_member(store, first_as_seen, second, {"status": MemberStatus.LEFT})
    assert _stored(second.staff_no).status is MemberStatus.ACTIVE

    organisation.change_member(store, second_as_seen, _stored(first.staff_no), {"status": MemberStatus.ACTIVE})
    assert _stored(first.staff_no).status is MemberStatus.ACTIVE


# ---- appointing unit admins ----------------------------------------------------------------------------------


def test_a_union_admin_does_not_remove_themselves_from_a_units_admins(client, callers):
    union = callers["union_admin"]
    unit_admin = callers["unit_admin"].staff_no
    headers = union.headers(**{"Content-Type": "application/json"})

    def appoint(staff_nos):
        body = json.dumps({"staff_nos": staff_nos}).encode()
        return client.http.put("/api/units/cs/admins", headers=headers, body=body)

    assert appoint([unit_admin, union.staff_no]).status_code == 200
    assert "cs" in _stored(union.staff_no).admin_units
    refused = appoint([unit_admin])
    assert refused.status_code == 403 and refused.json_body["error"]["code"] == "member_change.own_rights"
    assert "cs" in _stored(union.staff_no).admin_units
    assert get_store().units.get("cs").admins == frozenset({unit_admin, union.staff_no})


def test_a_unit_admin_never_appoints_admins(client, callers, demo_union):
    member = _spare(demo_union, "cs", 8)
    body = json.dumps({"staff_nos": [callers["unit_admin"].staff_no, member.staff_no]}).encode()
    headers = callers["unit_admin"].headers(**{"Content-Type": "application/json"})
    assert client.http.put("/api/units/cs/admins", headers=headers, body=body).status_code == 403
    assert _stored(member.staff_no).admin_units == frozenset()
