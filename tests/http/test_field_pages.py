"""A field event with a final (issue 19 item 2) on DynamoDB Local and over HTTP: ten long jumpers have three trials
in the order drawn by lot, the best eight three more in the reverse order of the standing; the discipline page shows
the order, who has the last trials and the standing after each round; a fourth trial for an athlete out of the
eight, or before the eight are known, is refused in Chinese and English with nothing written."""

from __future__ import annotations

from html import unescape

import pytest

from chalicelib.domain.calendar import now
from chalicelib.domain.competition import field
from chalicelib.domain.records import MemberStatus
from chalicelib.errors import InvalidInput
from chalicelib.services import competition as competition_service
from chalicelib.services import meet as meet_service
from chalicelib.storage import get_store
from tests.http.browsing import get_page, post_form
from tests.http.test_marks_pages import _registered

NOT_IN_FINAL_ZH = "此人未进入前 8 名，没有保存"
NOT_IN_FINAL_EN = "this athlete is not among them, nothing was saved"


@pytest.fixture(scope="module")
def jumpers(demo_union, callers):
    taken = {caller.staff_no for caller in callers.values()}
    return [m.staff_no for m in demo_union.members if m.status is MemberStatus.ACTIVE and m.staff_no not in taken][:10]


@pytest.fixture(scope="module")
def meet(organiser, jumpers, demo_union):
    store = get_store()
    members = {m.staff_no: m for m in demo_union.members}
    event_id = _registered(organiser, "跳远决赛运动会", [members[s] for s in jumpers])
    long_jump = {"code": "lj", "name_zh": "男子跳远", "name_en": "Long jump", "measure": "distance", "attempts": 6,
                 "final_after": 3, "entries": jumpers}  # fmt: skip
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": {"disciplines": [long_jump]}}]
    competition_service.configure(store, organiser, event_id, {"stages": stages}, now())
    competition_service.open_stage(store, organiser, event_id, "meet", now(), seed="field-seed")
    return event_id


def _enter(organiser, event_id, entry, attempts):
    return meet_service.enter_performance(get_store(), organiser, event_id, "meet", "lj", entry, attempts, now())


def _entered(organiser, event_id):
    state = competition_service.managed(get_store(), organiser, event_id)[1]
    return state.performances.get("meet", {}).get("lj", {})


def _html(response) -> str:
    return unescape(response.body.decode())


def test_the_best_eight_go_on_in_reverse_order_and_others_are_refused(client, callers, organiser, jumpers, meet):
    admin = callers["unit_admin"]
    path = f"/admin/events/{meet}/competition/stages/meet/disciplines/lj"
    # jumper i jumps 6.00 - i * 0.1 in the first trial; the last one only has two trials so far
    for index, entry in enumerate(jumpers[:9]):
        _enter(organiser, meet, entry, [f"{6 - index / 10:.2f}", "X", "4.00"])
    _enter(organiser, meet, jumpers[9], ["X", "X"])

    page = _html(get_page(client, path, admin))
    assert "试跳（掷）顺序与名次" in page and "还有 1 名运动员没有完成前 3 次试跳（掷）" in page
    with pytest.raises(InvalidInput) as early:
        _enter(organiser, meet, jumpers[0], ["6.00", "X", "4.00", "6.10"])
    assert early.value.problems[0]["type"] == "field_final.not_ready"
    assert _entered(organiser, meet)[jumpers[0]]["attempts"] == ["6.00", "X", "4.00"]

    _enter(organiser, meet, jumpers[9], ["X", "X", "X"])
    eight = jumpers[:8]
    refused = post_form(client, path, admin, {"entry": jumpers[8], "attempt": ["5.20", "X", "4.00", "6.50"]})
    html = _html(refused)
    assert refused.status_code == 400 and NOT_IN_FINAL_ZH in html and 'aria-invalid="true"' in html
    english = post_form(client, path + "?lang=en", admin, {"entry": jumpers[8], "attempt": ["5.20", "X", "4.00", "7"]})
    assert english.status_code == 400 and NOT_IN_FINAL_EN in _html(english)
    assert _entered(organiser, meet)[jumpers[8]]["attempts"] == ["5.20", "X", "4.00"]  # nothing written

    saved = post_form(client, path, admin, {"entry": jumpers[7], "attempt": ["5.30", "X", "4.00", "6.50"]})
    assert saved.status_code == 303
    assert _entered(organiser, meet)[jumpers[7]]["attempts"][:4] == ["5.30", "X", "4.00", "6.50"]

    state = competition_service.managed(get_store(), organiser, meet)[1]
    assert state is not None
    discipline = state.competition.stages[0].meet.disciplines[0]  # type: ignore[union-attr]
    entered = _entered(organiser, meet)
    assert field.round_order(discipline, "field-seed", entered, 4) == list(reversed(eight))
    page = _html(get_page(client, path, admin))
    assert "进入后 3 次试跳（掷）的运动员（8 名）" in page and "未进前 8 名" in page and "第 4 轮后的名次" in page
    draw = field.start_order("field-seed", discipline)
    names = dict(zip(jumpers, (f'id="entry-{entry}"' for entry in jumpers), strict=True))
    positions = [page.index(names[entry]) for entry in draw]
    assert positions == sorted(positions)  # the forms follow the drawn order
    english_page = _html(get_page(client, path + "?lang=en", admin))
    assert "Trial order and standing" in english_page and "In the last 3 trials (8)" in english_page


def test_the_set_up_form_gives_a_field_event_its_final(client, callers, organiser, jumpers, demo_union):
    """The organiser gives the long jump 6 trials with the best 8 after 3 on the set-up form (几次后取前 8 名); the
    form shows it back; 3 trials with a final after 3 is refused on the form, nothing changed; blank: no final."""
    admin = callers["unit_admin"]
    members = {m.staff_no: m for m in demo_union.members}
    event_id = _registered(organiser, "跳远设置运动会", [members[s] for s in jumpers[:3]])
    path = f"/admin/events/{event_id}/competition"
    setup = {
        "action": "setup", "template": "meet", "place_points": "7,5,4",
        "d_code": ["lj"], "d_name_zh": ["男子跳远"], "d_name_en": ["Long jump"], "d_measure": ["distance"],
        "d_attempts": ["6"], "d_final_after": ["3"], "d_min_mark": [""], "d_max_mark": [""], "d_event": [""],
        "d0_entries": jumpers[:3],
    }  # fmt: skip
    assert post_form(client, path, admin, setup).status_code == 303
    meet = competition_service.managed(get_store(), organiser, event_id)[1].competition.stages[0].meet
    assert meet is not None and meet.disciplines[0].final_after == 3 and meet.disciplines[0].attempts == 6
    form = _html(get_page(client, path, admin))
    assert 'name="d_final_after" value="3"' in form and "几次后取前 8 名" in form
    assert "Best 8 after trial" in _html(get_page(client, path + "?lang=en", admin))
    bad = post_form(client, path, admin, {**setup, "d_attempts": ["3"]})
    assert bad.status_code == 400
    meet = competition_service.managed(get_store(), organiser, event_id)[1].competition.stages[0].meet
    assert meet is not None and meet.disciplines[0].attempts == 6  # nothing changed
    assert post_form(client, path, admin, {**setup, "d_final_after": [""]}).status_code == 303
    meet = competition_service.managed(get_store(), organiser, event_id)[1].competition.stages[0].meet
    assert meet is not None and meet.disciplines[0].final_after is None
