"""Dragon boat crews over HTTP (issue 19 item 5): on the demo 龙舟赛 the cs unit admin sees the crews page in the
words of a boat (龙舟队, 桨手, 鼓手, 舵手), changes the cs crew, and a crew with too few women paddlers, no drummer or
a member of another unit comes back with the places marked, in Chinese and English, and nothing written."""

from __future__ import annotations

import re
from html import unescape

from chalicelib.domain.access import Principal
from chalicelib.domain.records import MemberStatus
from chalicelib.services import relays as relay_service
from chalicelib.storage import get_store
from tests.http.browsing import get_page, post_form

BOATS = "ev-01J6NJJ3A0J3YVMVWZDDSK7K6S"
PATH = f"/admin/events/{BOATS}/relays"
CS_ADMIN = Principal(staff_no="", unit_id="cs", admin_of=frozenset({"cs"}))


def _text(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.body.decode()))


def _crew(callers):
    admin = Principal(staff_no=callers["unit_admin"].staff_no, unit_id="cs", admin_of=frozenset({"cs"}))
    view = relay_service.relay_teams(get_store(), admin, BOATS, "cs")
    (boat,) = view.relays
    (crew,) = [team for team in boat.teams if team.unit_id == "cs"]
    return view, boat, crew


def _fields(crew_members, version, legs=10, **changes):
    fields = {"relay": "DB200", "entry": "DB200-cs", "unit": "cs", "version": str(version), "do": "save"}
    fields.update({f"leg{n}": staff_no for n, staff_no in enumerate(crew_members[:legs], start=1)})
    fields.update({"drummer": crew_members[legs], "helm": crew_members[legs + 1], "reserve1": "", "reserve2": ""})
    return {**fields, **changes}


def test_the_cs_admin_changes_the_crew_and_a_wrong_crew_is_marked_in_both_languages(client, callers, demo_union):
    admin = callers["unit_admin"]
    page = _text(get_page(client, PATH, admin))
    assert "龙舟队报名" in page and "计算机学院龙舟队" in page
    assert "每条船 10 名桨手，另有鼓手、舵手" in page and "以下组队规则只计桨手" in page and "至少 4 名女队员" in page
    assert "桨手 10" in page and "鼓手" in page and "舵手" in page
    english = _text(get_page(client, PATH + "?lang=en", admin))
    assert "Dragon boat crews" in english and "Paddler 10" in english and "Drummer" in english

    view, _boat, crew = _crew(callers)
    members = {m.staff_no: m for m in demo_union.members}
    women = [s for s in crew.members[:10] if members[s].gender.value == "F"]
    spare_men = [m.staff_no for m in demo_union.members if m.unit_id == "cs" and m.gender.value == "M"
                 and m.status is MemberStatus.ACTIVE and m.staff_no not in crew.members]  # fmt: skip
    other = next(m.staff_no for m in demo_union.members if m.unit_id == "math" and m.status is MemberStatus.ACTIVE)
    leg = crew.members.index(women[0]) + 1
    wrong = _fields(crew.members, view.version, **{f"leg{leg}": spare_men[0], "drummer": "", "helm": other})
    refused = post_form(client, PATH, admin, wrong)
    text = _text(refused)
    assert refused.status_code == 400 and "还没有选鼓手" in text and "不是本单位的会员" in text
    assert 'id="f-DB200-DB200-cs-helm" name="helm" aria-invalid="true"' in refused.body.decode()
    wrong["helm"] = crew.members[11]
    refused = post_form(client, PATH + "?lang=en", admin, {**wrong, "drummer": crew.members[10]})
    assert refused.status_code == 400 and "at least 4" in _text(refused).lower()
    assert _crew(callers)[2].members == crew.members  # nothing written

    # the drummer and helm change places: saved, listed with their roles
    changed = _fields(crew.members, view.version, drummer=crew.members[11], helm=crew.members[10])
    saved = post_form(client, PATH, admin, changed)
    assert saved.status_code == 303
    after = _crew(callers)[2]
    assert after.members[10:12] == (crew.members[11], crew.members[10])
    listed = _text(get_page(client, PATH + "?done=saved", admin))
    assert "龙舟队已保存" in listed
    assert re.search(rf"鼓手：\s*{members[crew.members[11]].name}（{crew.members[11]}）", listed)
