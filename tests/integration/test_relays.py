"""Relay teams entered by unit admins (issue 19 item 3) against DynamoDB Local: a unit's team checked and written
with the relay's list in one conditional write of the set-up, refused whole when wrong, only by its unit's admins
(or the organisers), until the relay's first mark."""

from __future__ import annotations

import pytest

from chalicelib.domain.access import Principal
from chalicelib.domain.calendar import now
from chalicelib.domain.records import EventFormat, EventKind
from chalicelib.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.services import competition as competition_service
from chalicelib.services import meet as meet_service
from chalicelib.services import relays as service
from tests.integration.test_registration import ADMIN, open_event

CS_ADMIN = Principal(staff_no="M0000", unit_id="cs", admin_of=frozenset({"cs"}))
MATH_ADMIN = Principal(staff_no="M0001", unit_id="math", admin_of=frozenset({"math"}))
MEMBER = Principal(staff_no="M0006", unit_id="cs")
RELAY = {"code": "X4", "name_zh": "混合4×100米接力", "measure": "time", "relay": True, "reserves": 1,
         "relay_rule": {"min_women": 1}}  # fmt: skip


def _meet(store):
    event = open_event(store, capacity=50, kind=EventKind.SPORTS, format=EventFormat.MEET, title_zh="田径运动会")
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": {"disciplines": [RELAY]}}]
    competition_service.configure(store, ADMIN, event.event_id, {"stages": stages}, now())
    return event


def _setup(store, event):
    return store.competitions.setup_version(event.event_id)


def test_a_unit_admin_enters_changes_and_withdraws_their_team(union):
    store, _ = union
    event = _meet(store)
    # cs: M0000, M0006, M0012 (men), M0003, M0009 (women); math: M0001 ...
    view = service.relay_teams(store, CS_ADMIN, event.event_id)
    assert [u.unit_id for u in view.units] == ["cs"] and view.unit_id == "cs"
    assert {"M0000", "M0003"} <= {m.staff_no for m in view.members} and view.relays[0].open
    team = service.enter_team(store, CS_ADMIN, event.event_id, "X4", "cs", ["M0000", "M0003", "M0006", "M0012"],
                              ["M0009"], view.version, now())  # fmt: skip
    assert team.entry_id == "X4-cs" and team.name == "cs分工会" and team.members[-1] == "M0009"
    setup, version = _setup(store, event)
    assert setup["entries"][-1]["entry_id"] == "X4-cs"
    assert setup["stages"][0]["meet"]["disciplines"][0]["entries"] == ["X4-cs"]
    # A change made on a stale page is refused; on the current one it keeps the team's id and place.
    with pytest.raises(Conflict):
        service.enter_team(store, CS_ADMIN, event.event_id, "X4", "cs", ["M0012", "M0003", "M0006", "M0000"], [],
                           view.version, now(), entry_id="X4-cs")  # fmt: skip
    service.enter_team(store, CS_ADMIN, event.event_id, "X4", "cs", ["M0012", "M0003", "M0006", "M0000"], [],
                       version, now(), entry_id="X4-cs")  # fmt: skip
    shown = service.relay_teams(store, CS_ADMIN, event.event_id)
    assert shown.relays[0].teams[0].members == ("M0012", "M0003", "M0006", "M0000")
    assert shown.names["M0012"] == "会员12" and shown.may_change(shown.relays[0].teams[0])
    # A second team of the same unit is over the limit (one per unit).
    with pytest.raises(InvalidInput) as refused:
        service.enter_team(store, CS_ADMIN, event.event_id, "X4", "cs", ["M0015", "M0018", "M0021", "M0024"], [],
                           None, now())  # fmt: skip
    assert "relay.teams_per_unit" in {p["type"] for p in refused.value.problems}
    service.withdraw_team(store, CS_ADMIN, event.event_id, "X4", "X4-cs", shown.version, now())
    setup, _ = _setup(store, event)
    assert setup["entries"] == [] and setup["stages"][0]["meet"]["disciplines"][0]["entries"] == []


def test_a_wrong_team_is_refused_whole_and_nothing_is_written(union):
    store, _ = union
    event = _meet(store)
    _, version = _setup(store, event)
    with pytest.raises(InvalidInput) as refused:  # four men: the rule wants a woman
        service.enter_team(store, CS_ADMIN, event.event_id, "X4", "cs", ["M0000", "M0006", "M0012", "M0018"], [],
                           None, now())  # fmt: skip
    assert [(p["type"], p["loc"], p["ctx"]) for p in refused.value.problems] == [
        ("relay.too_few_women", ("team",), {"min": "1", "count": "0"})
    ]
    with pytest.raises(InvalidInput) as refused:  # M0001 is of math
        service.enter_team(store, CS_ADMIN, event.event_id, "X4", "cs", ["M0000", "M0001", "M0003", "M0006"], [],
                           None, now())  # fmt: skip
    assert [(p["type"], p["loc"]) for p in refused.value.problems] == [("relay.other_unit", ("leg2",))]
    assert _setup(store, event)[1] == version


def test_only_the_units_admins_and_the_organisers_enter_and_change_a_team(union):
    store, _ = union
    event = _meet(store)
    legs = ["M0000", "M0003", "M0006", "M0012"]
    with pytest.raises(Forbidden):  # another unit's admin, for cs
        service.enter_team(store, MATH_ADMIN, event.event_id, "X4", "cs", legs, [], None, now())
    with pytest.raises(Forbidden):  # a member who runs no unit
        service.relay_teams(store, MEMBER, event.event_id)
    service.enter_team(store, ADMIN, event.event_id, "X4", "cs", legs, [], None, now())  # the union, for cs
    with pytest.raises(Forbidden):  # math's admin cannot change cs's team, nor withdraw it
        service.enter_team(store, MATH_ADMIN, event.event_id, "X4", "math", legs[::-1], [], None, now(),
                           entry_id="X4-cs")  # fmt: skip
    with pytest.raises(Forbidden):
        service.withdraw_team(store, MATH_ADMIN, event.event_id, "X4", "X4-cs", None, now())
    assert not service.relay_teams(store, MATH_ADMIN, event.event_id).may_change(
        service.relay_teams(store, ADMIN, event.event_id).relays[0].teams[0]
    )
    with pytest.raises(NotFound):
        service.enter_team(store, CS_ADMIN, event.event_id, "nope", "cs", legs, [], None, now())
    # Once the relay has a mark, its teams are fixed.
    competition_service.open_stage(store, ADMIN, event.event_id, "meet", now())
    meet_service.enter_performance(store, ADMIN, event.event_id, "meet", "X4", "X4-cs", ["52.10"], now())
    with pytest.raises(Conflict):
        service.withdraw_team(store, CS_ADMIN, event.event_id, "X4", "X4-cs", None, now())
    assert not service.relay_teams(store, CS_ADMIN, event.event_id).relays[0].open


def test_a_changed_set_up_keeps_the_relay_teams_it_still_names(union):
    store, _ = union
    event = _meet(store)
    service.enter_team(store, CS_ADMIN, event.event_id, "X4", "cs", ["M0000", "M0003", "M0006", "M0012"], [], None,
                       now())  # fmt: skip
    relay = {**RELAY, "name_zh": "混合4×100米接力（决赛）", "entries": ["X4-cs"]}
    stages = [{"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": {"disciplines": [relay]}}]
    competition_service.configure(store, ADMIN, event.event_id, {"stages": stages}, now())
    setup, _ = _setup(store, event)
    assert [e["entry_id"] for e in setup["entries"]] == ["X4-cs"]
    assert setup["entries"][0]["members"] == ["M0000", "M0003", "M0006", "M0012"]
    # A set-up without the team drops it.
    stages[0]["meet"]["disciplines"] = [{**relay, "entries": []}]
    competition_service.configure(store, ADMIN, event.event_id, {"stages": stages}, now())
    assert _setup(store, event)[0]["entries"] == []


def test_a_set_up_saved_without_relay_settings_keeps_the_relay_and_its_teams(union):
    """The organiser's set-up form shows no relay settings and cannot pick relay teams: a discipline it sends back
    without ``relay`` stays the relay it was (legs, reserves, rule, teams); one that says ``relay: false`` ends it."""
    store, _ = union
    event = _meet(store)
    view = service.relay_teams(store, CS_ADMIN, event.event_id)
    service.enter_team(store, CS_ADMIN, event.event_id, "X4", "cs", ["M0000", "M0003", "M0006", "M0012"], ["M0009"],
                       view.version, now())  # fmt: skip
    as_the_form_sends_it = {"code": "X4", "name_zh": "混合4×100米接力", "measure": "time", "entries": []}
    stages = [
        {"stage_id": "meet", "kind": "measured", "name_zh": "田径", "meet": {"disciplines": [as_the_form_sends_it]}}
    ]
    competition_service.configure(store, ADMIN, event.event_id, {"stages": stages}, now())
    setup, _ = _setup(store, event)
    kept = setup["stages"][0]["meet"]["disciplines"][0]
    assert (kept["relay"], kept["reserves"], kept["relay_rule"]["min_women"], kept["entries"]) == (
        True,
        1,
        1,
        ["X4-cs"],
    )
    assert [entry["entry_id"] for entry in setup["entries"]] == ["X4-cs"]
    ended = {**as_the_form_sends_it, "relay": False}
    stages[0]["meet"]["disciplines"] = [ended]
    competition_service.configure(store, ADMIN, event.event_id, {"stages": stages}, now())
    setup, _ = _setup(store, event)
    assert setup["stages"][0]["meet"]["disciplines"][0]["relay"] is False and setup["entries"] == []
