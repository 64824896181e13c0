"""chalicelib.domain.records.member_registration: the one way a new registration copies its member."""

from datetime import UTC, date, datetime

from chalicelib.domain.records import SERIES, Gender, Member, RegistrationState, member_registration

AT = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


def test_a_new_registration_copies_the_members_staff_no_name_and_unit_and_is_stamped_once():
    member = Member("100234", "李华", Gender.FEMALE, date(1985, 5, 4), "cs")

    registration = member_registration("e1", SERIES, member, RegistrationState.TEAM, AT, team_id="t1", added_by="9")

    assert (registration.event_id, registration.scope, registration.state) == ("e1", SERIES, RegistrationState.TEAM)
    assert (registration.staff_no, registration.name, registration.unit_id) == ("100234", "李华", "cs")
    assert registration.registered_at == registration.updated_at == AT
    assert (registration.team_id, registration.added_by, registration.answers) == ("t1", "9", {})
