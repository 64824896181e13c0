"""Relay teams over HTTP (issue 19 item 3): the cs unit admin enters a team on the relay-teams page, choosing a cs
member for each leg; a wrong composition or a member of another unit comes back with the fields marked, in Chinese
and English, and nothing written; the admin of another unit cannot change or withdraw the cs team."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.competition.measured import age_on
from chalicelib.domain.records import SCHOOL_UNIT_ID, EventFormat, EventKind, MemberStatus
from chalicelib.services import competition as competition_service
from chalicelib.storage import get_store
from tests.factories import published_event
from tests.http.browsing import get_page, post_form

RULE = {"bands": [{"max_age": 29, "min_runners": 1, "max_runners": 1},
                  {"min_age": 30, "max_age": 40, "min_runners": 2, "max_runners": 2},
                  {"min_age": 41, "min_runners": 1, "max_runners": 1}], "min_women": 1}  # fmt: skip


def _text(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.body.decode()))


@pytest.fixture(scope="module")
def meet(callers, demo_union):
    union_admin = Principal(staff_no=callers["union_admin"].staff_no, unit_id=SCHOOL_UNIT_ID, union_admin=True)
    fields = {"owner_unit_id": SCHOOL_UNIT_ID, "kind": EventKind.SPORTS, "format": EventFormat.MEET}
    event = published_event(union_admin, days=14, hours=4, title_zh="秋季田径运动会", capacity=50, **fields)
    relay = {"code": "X4X100", "name_zh": "混合4×100米接力", "name_en": "Mixed 4 × 100 m relay", "measure": "time",
             "relay": True, "reserves": 1, "relay_rule": RULE}  # fmt: skip
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": {"disciplines": [relay]}}]
    competition_service.configure(get_store(), union_admin, event.event_id, {"stages": stages}, now())
    day = (now() + timedelta(days=14)).date()
    cs = [m for m in demo_union.members if m.unit_id == "cs" and m.status is MemberStatus.ACTIVE]

    def pick(low, high, gender=None, skip=()):
        return next(m.staff_no for m in cs if low <= age_on(m.birth_date, day) <= high
                    and (gender is None or m.gender.value == gender) and m.staff_no not in skip)  # fmt: skip

    woman = pick(30, 40, "F")
    legs = [pick(0, 29), woman, pick(30, 40, skip=(woman,)), pick(41, 200)]
    other = next(m.staff_no for m in demo_union.members if m.unit_id != "cs" and m.status is MemberStatus.ACTIVE)
    return {"event": event, "path": f"/admin/events/{event.event_id}/relays", "legs": legs, "other": other,
            "men_only": [pick(0, 29, "M"), pick(30, 40, "M"), pick(30, 40, "M", (pick(30, 40, "M"),)),
                         pick(41, 200, "M")]}  # fmt: skip


def _fields(legs, entry="", version="", reserves=("",), do="save"):
    fields = {"relay": "X4X100", "entry": entry, "unit": "cs", "version": version, "do": do}
    fields.update({f"leg{n}": staff_no for n, staff_no in enumerate(legs, start=1)})
    fields.update({f"reserve{n}": staff_no for n, staff_no in enumerate(reserves, start=1)})
    return fields


def _stored(meet):
    setup, version = get_store().competitions.setup_version(meet["event"].event_id)
    return setup["entries"], version


def test_a_wrong_team_is_marked_on_its_fields_and_nothing_is_written(client, callers, meet):
    entries, version = _stored(meet)
    # The unit admin finds the page where they enter their people.
    enter = get_page(client, f"/admin/events/{meet['event'].event_id}/enter", callers["unit_admin"])
    assert f'href="{meet["path"]}"' in enter.body.decode()
    hub = get_page(client, f"/admin/events/{meet['event'].event_id}/edit", callers["union_admin"])
    assert f'href="{meet["path"]}"' in hub.body.decode()
    # The links name both kinds of team the page takes (a meet's relays, a regatta's boats), without reading the set-up.
    for linked in (enter, hub):
        assert f'<a href="{meet["path"]}">接力队、龙舟队报名</a>' in linked.body.decode()
    page = get_page(client, meet["path"], callers["unit_admin"])
    assert page.status_code == 200 and "接力队报名" in _text(page) and "混合4×100米接力" in _text(page)
    assert "≤29 岁的队员 1 名" in _text(page) and "至少 1 名女队员" in _text(page)
    wrong = post_form(client, meet["path"], callers["unit_admin"], _fields(meet["men_only"]))
    assert wrong.status_code == 400
    assert "组队规则：至少 1 名女队员，现有 0 名" in _text(wrong) and 'id="e-team"' in wrong.body.decode()
    legs = [meet["legs"][0], meet["other"], *meet["legs"][2:]]
    foreign = post_form(client, meet["path"] + "?lang=en", callers["unit_admin"], _fields(legs))
    html = foreign.body.decode()
    assert foreign.status_code == 400 and "is not a member of the team's unit" in _text(foreign)
    assert re.search(r'id="f-X4X100-new-leg2"[^>]*aria-invalid="true"', html) and 'id="e-leg1"' not in html
    assert _stored(meet) == (entries, version)


def test_the_unit_admin_enters_and_another_units_admin_cannot_change_it(client, callers, meet):
    saved = post_form(client, meet["path"], callers["unit_admin"], _fields(meet["legs"]))
    assert saved.status_code in (302, 303), saved.body[:300]
    entries, version = _stored(meet)
    assert [(e["entry_id"], e["unit_id"], e["members"]) for e in entries] == [("X4X100-cs", "cs", meet["legs"])]
    shown = get_page(client, meet["path"] + "?done=saved", callers["unit_admin"])
    assert "接力队已保存" in _text(shown) and "X4X100-cs" in shown.body.decode()
    swapped = [*meet["legs"][::-1]]
    for do in ("save", "withdraw"):
        refused = post_form(client, meet["path"], callers["other_unit_admin"],
                            _fields(swapped, "X4X100-cs", str(version), do=do))  # fmt: skip
        assert refused.status_code == 403
    assert _stored(meet) == (entries, version)
    # The cs admin changes the order of the legs, then withdraws the team.
    changed = post_form(client, meet["path"], callers["unit_admin"], _fields(swapped, "X4X100-cs", str(version)))
    assert changed.status_code in (302, 303)
    entries, version = _stored(meet)
    assert entries[0]["members"] == swapped
    gone = post_form(
        client, meet["path"], callers["unit_admin"], _fields((), "X4X100-cs", str(version), (), "withdraw")
    )
    assert gone.status_code in (302, 303) and _stored(meet)[0] == []


def test_a_member_who_runs_no_unit_is_kept_out(client, callers, meet):
    assert get_page(client, meet["path"], callers["member"]).status_code == 403
