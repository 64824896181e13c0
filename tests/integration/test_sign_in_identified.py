"""accounts.sign_in_identified: a member vouched for by an outside authority (CAS, 企业微信) gets a live session
without a password or activation code; unknown and 离职 members are refused; the usual session rules still hold."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.records import Gender, Member, MemberStatus
from chalicelib.errors import Unauthenticated
from chalicelib.services import accounts
from chalicelib.services.identity import identify
from chalicelib.settings import get_settings
from chalicelib.storage.tables import AccountTable


def _signed_in(store, token: str) -> str | None:
    found = identify(store, get_settings(), token, None, cache=_NoCache())
    return found.principal.staff_no if found.principal.signed_in else None


class _NoCache:
    def get(self, key, fetch, keep=None):
        return fetch()


def test_a_member_who_never_activated_signs_in_and_can_still_activate_later(union):
    store, members = union
    member = members[3]
    assert store.accounts.get(member.staff_no) is None
    session = accounts.sign_in_identified(store, get_settings(), member.staff_no.lower(), "cas")
    assert session.member.staff_no == member.staff_no and session.device_token is None
    assert _signed_in(store, session.token) == member.staff_no
    account = store.accounts.get(member.staff_no)
    assert account is not None and account.password_hash is None and len(account.sessions) == 1
    # No password was set: the activation code a unit admin hands out still works.
    [issued] = accounts.issue_activation_codes(store, get_settings(), [member])
    activated = accounts.activate(store, get_settings(), member.staff_no, issued.code, "Xy7!correct-horse", "1.2.3.4")
    assert _signed_in(store, activated.token) == member.staff_no


def test_a_member_with_a_password_keeps_it_and_signs_out_everywhere_as_usual(union):
    store, members = union
    member = members[4]
    store.accounts.set_password(member.staff_no, "scrypt$not-checked-here")
    first = accounts.sign_in_identified(store, get_settings(), member.staff_no, "wecom")
    second = accounts.sign_in_identified(store, get_settings(), member.staff_no, "cas")
    assert first.token != second.token
    assert _signed_in(store, first.token) == _signed_in(store, second.token) == member.staff_no
    assert store.accounts.get(member.staff_no).password_hash == "scrypt$not-checked-here"
    accounts.sign_out(store, get_settings(), first.token)
    assert _signed_in(store, first.token) is None and _signed_in(store, second.token) == member.staff_no
    accounts.sign_out_everywhere(store, member.staff_no)
    assert _signed_in(store, second.token) is None


def test_unknown_and_departed_members_are_refused_and_get_no_account(union):
    store, _members = union
    with pytest.raises(Unauthenticated) as unknown:
        accounts.sign_in_identified(store, get_settings(), "X9999", "cas")
    assert unknown.value.code == "signin_identified_unknown"
    assert store.accounts.get("X9999") is None
    departed = Member("L0001", "离职会员", Gender.MALE, date(1970, 1, 1), "cs", status=MemberStatus.LEFT)
    store.members.put_many([departed])
    with pytest.raises(Unauthenticated) as left:
        accounts.sign_in_identified(store, get_settings(), "L0001", "wecom")
    assert left.value.code == "signin_identified_unknown"
    assert store.accounts.get("L0001") is None


def test_a_session_version_changed_meanwhile_refuses_the_new_session(union):
    store, members = union
    member = members[5]
    accounts.sign_in_identified(store, get_settings(), member.staff_no, "cas")
    version = store.accounts.get(member.staff_no).session_version
    store.accounts.end_all_sessions(member.staff_no)  # bumps the version after the read below would have happened
    assert not store.accounts.start_identified_session(member.staff_no, "s#1#x", version)
    assert store.accounts.start_identified_session(member.staff_no, "s#1#x", version + 1)
    assert AccountTable.get(member.staff_no).sessions == {"s#1#x"}
