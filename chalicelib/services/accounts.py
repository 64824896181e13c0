"""Signing in, activating an account with a one-time code, changing a password, handing out codes."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.calendar import now
from chalicelib.domain.passwords import (
    activation_code_digest,
    hash_password,
    new_activation_code,
    normalise_activation_code,
    password_problems,
    verify_password,
)
from chalicelib.domain.records import Member, normalise_staff_no
from chalicelib.domain.tokens import issue_session_token
from chalicelib.errors import BadRequest, InvalidInput, RateLimited, Unauthenticated
from chalicelib.services.identity import may_sign_in
from chalicelib.settings import Settings
from chalicelib.storage import Store

# Failed attempts allowed per 15-minute window. Per address the limit is higher: a campus often reaches the
# internet through a few NAT addresses shared by thousands of people.
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 50
ACTIVATION_VALID_DAYS = 30

# Verified against when the 工号 is unknown, so that a wrong 工号 takes as long as a wrong password.
_DECOY_HASH = "scrypt$ln=14,r=8,p=1$145ajnv4HCqNBlmiA2g5Hg$PmWzn1wgpMRgRBzBF1RaEa6s265qiWFhLPbr5fMICzA"


@dataclass(frozen=True)
class Session:
    token: str
    expires_at: datetime
    member: Member


@dataclass(frozen=True)
class IssuedCode:
    member: Member
    code: str
    expires_at: datetime


def _activation_key(settings: Settings) -> bytes:
    # A key of its own, derived from the session key, so that one secret never serves two purposes directly.
    return hashlib.sha256(b"union-events activation codes\0" + settings.session_key.encode()).digest()


def _check_rate(store: Store, staff_no: str, address: str, at: int) -> None:
    if (
        store.failed_sign_ins_by_account.count(staff_no, at) >= MAX_FAILURES_PER_ACCOUNT
        or store.failed_sign_ins_by_address.count(address, at) >= MAX_FAILURES_PER_ADDRESS
    ):
        raise RateLimited()


def _record_failure(store: Store, staff_no: str, address: str, at: int) -> None:
    store.failed_sign_ins_by_account.add(staff_no, at)
    store.failed_sign_ins_by_address.add(address, at)


def _session(settings: Settings, member: Member, session_version: int, at: int) -> Session:
    token = issue_session_token(
        member.staff_no, session_version, settings.session_key.encode(), at, settings.session_ttl_seconds
    )
    return Session(token, datetime.fromtimestamp(at + settings.session_ttl_seconds).astimezone(), member)


def sign_in(store: Store, settings: Settings, staff_no: str, password: str, address: str) -> Session:
    staff_no, at = normalise_staff_no(staff_no), int(time.time())
    _check_rate(store, staff_no, address, at)
    member = store.members.get(staff_no)
    account = store.accounts.get(staff_no) if may_sign_in(member) else None
    stored_hash = account.password_hash if account is not None else None
    if not verify_password(password, stored_hash or _DECOY_HASH) or stored_hash is None:
        _record_failure(store, staff_no, address, at)
        raise Unauthenticated("invalid_credentials")
    return _session(settings, member, account.session_version, at)


def _require_acceptable_password(password: str, staff_no: str) -> None:
    problems = password_problems(password, staff_no)
    if problems:
        raise InvalidInput([{"loc": ("password",), "type": f"password_{code}", "msg": code} for code in problems])


def activate(store: Store, settings: Settings, staff_no: str, code: str, password: str, address: str) -> Session:
    staff_no, at = normalise_staff_no(staff_no), int(time.time())
    _check_rate(store, staff_no, address, at)
    _require_acceptable_password(password, staff_no)
    member = store.members.get(staff_no)
    digest = activation_code_digest(normalise_activation_code(code), _activation_key(settings))
    if not may_sign_in(member) or not store.accounts.activate(staff_no, digest, hash_password(password), now()):
        _record_failure(store, staff_no, address, at)
        raise BadRequest("activation_invalid")
    return _session(settings, member, store.accounts.get(staff_no).session_version, at)


def change_password(store: Store, settings: Settings, member: Member, current: str, new: str, address: str) -> Session:
    at = int(time.time())
    _check_rate(store, member.staff_no, address, at)
    account = store.accounts.get(member.staff_no)
    if account is None or not account.password_hash or not verify_password(current, account.password_hash):
        _record_failure(store, member.staff_no, address, at)
        raise Unauthenticated("invalid_credentials")
    _require_acceptable_password(new, member.staff_no)
    store.accounts.set_password(member.staff_no, hash_password(new))
    # Every other session ends with the version bump; this one continues under a new token.
    return _session(settings, member, store.accounts.get(member.staff_no).session_version, at)


def issue_activation_codes(store: Store, settings: Settings, members: list[Member]) -> list[IssuedCode]:
    """New one-time codes for the members who have not activated yet (any earlier code stops working)."""
    accounts = store.accounts.get_many([member.staff_no for member in members])
    expires_at = now() + timedelta(days=ACTIVATION_VALID_DAYS)
    key = _activation_key(settings)
    issued = []
    for member in members:
        account = accounts.get(member.staff_no)
        if (account is not None and account.activated) or not may_sign_in(member):
            continue
        code = new_activation_code()
        digest = activation_code_digest(normalise_activation_code(code), key)
        if store.accounts.offer_activation(member.staff_no, digest, expires_at):
            issued.append(IssuedCode(member, code, expires_at))
    return issued
