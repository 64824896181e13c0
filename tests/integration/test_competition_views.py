"""The competition pages' service views against DynamoDB Local: what the organisers' page, the public page, a score
page and the workbook read, and the refusals they pass on."""

from __future__ import annotations

import pytest

from chalicelib.domain.calendar import now
from chalicelib.errors import Forbidden, NotFound
from chalicelib.services import competition as service
from chalicelib.services import competition_officials
from chalicelib.services import competition_views as views
from chalicelib.services.organisation_views import unit_names
from tests.integration.test_competition import ANONYMOUS, KNOCKOUT, configure, tournament
from tests.integration.test_registration import ADMIN, principal


def test_the_organisers_view_lists_the_events_entries_before_the_set_up_and_the_competitions_after(union):
    store, members = union
    event = tournament(store, members, 4)
    before = views.managed_competition(store, ADMIN, event.event_id, "en")
    assert before.state is None
    assert [entry.entry_id for entry in before.entries] == [member.staff_no for member in members[:4]]
    english_units = unit_names(store, "en")
    assert before.units == {member.staff_no: english_units[member.unit_id] for member in members[:4]}
    assert before.names[members[0].staff_no] == members[0].name
    configure(store, event, KNOCKOUT)
    competition_officials.name_official(store, ADMIN, event.event_id, members[90].staff_no, "referee", now())
    after = views.managed_competition(store, ADMIN, event.event_id, "zh")
    assert after.state is not None and after.state.competition.stages[0].stage_id == "main"
    assert [entry.entry_id for entry in after.entries] == [member.staff_no for member in members[:4]]
    assert [(o.role.staff_no, o.roles) for o in after.officials] == [(members[90].staff_no, ["referee"])]
    assert after.officials[0].unit == unit_names(store, "zh")[members[90].unit_id]


def test_the_public_view_says_when_there_is_nothing_to_show_yet_and_refuses_unknown_events(union):
    store, members = union
    event = tournament(store, members, 4)
    not_set_up = views.public_competition(store, ANONYMOUS, event.event_id, "zh")
    assert not_set_up.state is None and not_set_up.event.event_id == event.event_id
    configure(store, event, KNOCKOUT)
    assert views.public_competition(store, ANONYMOUS, event.event_id, "zh").state is None  # not published
    service.publish(store, ADMIN, event.event_id, True, now())
    published = views.public_competition(store, ANONYMOUS, event.event_id, "en")
    assert published.state is not None and published.unit_names == unit_names(store, "en")
    with pytest.raises(NotFound):
        views.public_competition(store, ANONYMOUS, "ev-01J6NZZZZZZZZZZZZZZZZZZZZZ", "zh")


def test_a_score_page_finds_its_match_and_refuses_an_unknown_one(union):
    store, members = union
    event = tournament(store, members, 4)
    configure(store, event, KNOCKOUT)
    service.draw(store, ADMIN, event.event_id, "main", now())
    _state, stage, match = views.refereed_match(store, ADMIN, event.event_id, "main", "W1-1")
    assert (stage.stage_id, match.match_id) == ("main", "W1-1")
    with pytest.raises(NotFound) as unknown:
        views.refereed_match(store, ADMIN, event.event_id, "main", "W9-9")
    assert unknown.value.code == "match_not_found"
    with pytest.raises(Forbidden):  # not the event's organiser or referee
        views.refereed_match(store, principal(members[0]), event.event_id, "main", "W1-1")


def test_the_workbook_names_its_file_and_needs_a_set_up(union):
    store, members = union
    event = tournament(store, members, 4)
    with pytest.raises(NotFound) as missing:
        views.workbook(store, ADMIN, event.event_id, "zh")
    assert missing.value.code == "competition_not_set_up"
    configure(store, event, KNOCKOUT)
    service.draw(store, ADMIN, event.event_id, "main", now())
    workbook = views.workbook(store, ADMIN, event.event_id, "en")
    assert workbook.filename.endswith(".xlsx") and event.title_zh in workbook.filename
    assert workbook.body[:2] == b"PK"  # an XLSX is a zip
