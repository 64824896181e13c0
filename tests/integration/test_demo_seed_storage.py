"""The demo seed against DynamoDB Local: it lands a living union once, and only once."""

from chalicelib.domain.calendar import now
from chalicelib.domain.records import SCHOOL_UNIT_ID
from chalicelib.services.accounts import sign_in
from devtools.demo_seed import build_demo_union, seed_if_empty


def test_seed_if_empty_writes_the_demo_union_once(empty_store):
    today = now().date()
    demo = build_demo_union(today)
    counts = seed_if_empty(empty_store, today)
    assert counts == {
        "units": len(demo.units),
        "members": len(demo.members),
        "events": len(demo.events),
        "accounts": len(demo.accounts),
        "registrations": len(demo.registrations),
    }
    assert seed_if_empty(empty_store, today) is None
    assert len(empty_store.units.children(SCHOOL_UNIT_ID)) == len(demo.units) - 1
    some_member = demo.members[0]
    assert empty_store.members.get(some_member.staff_no) == some_member
    in_units = sum(len(list(empty_store.members.in_unit(unit.unit_id))) for unit in demo.units)
    assert in_units == len(demo.members)
    assert empty_store.events.upcoming(now(), limit=50)


def test_demo_accounts_sign_in_with_their_roles(empty_store, dynamodb):
    today = now().date()
    seed_if_empty(empty_store, today)
    for account in build_demo_union(today).accounts:
        session = sign_in(empty_store, dynamodb, account.staff_no, account.password, "127.0.0.1")
        assert session.member.staff_no == account.staff_no
    unit_admins = empty_store.units.get("cs").admins
    assert unit_admins and all("cs" in empty_store.members.get(s).admin_units for s in unit_admins)


def test_seeded_registrations_agree_with_event_counters_and_a_demo_member_can_register(empty_store):
    from chalicelib.domain.access import Principal
    from chalicelib.domain.records import SERIES
    from chalicelib.services.registration import register

    today = now().date()
    demo = build_demo_union(today)
    seed_if_empty(empty_store, today)
    retreat = next(e for e in demo.events if e.format.value == "retreat" and e.waiting_count)
    stored = empty_store.registrations.for_event(retreat.event_id)
    assert sum(r.state.value == "confirmed" for r in stored) == empty_store.events.get(retreat.event_id).confirmed_count
    member = next(a for a in demo.accounts if "member" in a.role)
    record = empty_store.members.get(member.staff_no)
    outcome = register(
        empty_store,
        Principal(staff_no=record.staff_no, unit_id=record.unit_id),
        retreat.event_id,
        SERIES,
        {"family": "no"},
        now(),
    )
    assert (outcome.registration.state.value, outcome.position) == ("waiting", retreat.waiting_count + 1)
