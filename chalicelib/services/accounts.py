"""Signing in, activating an account with a one-time code, changing a password, handing out codes."""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import datetime, timedelta
from typing import NamedTuple

from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.passwords import (
    activation_code_digest,
    hash_password,
    new_activation_code,
    normalise_activation_code,
    password_problems,
    verify_password,
)
from chalicelib.domain.records import Account, Member, NotificationKind, normalise_staff_no
from chalicelib.domain.throttle import (
    ADDRESS,
    FAMILIAR_FOR_SECONDS,
    PAIR,
    UNFAMILIAR,
    Attempt,
    Counter,
    Limit,
    address_key,
    retry_after,
)
from chalicelib.domain.tokens import (
    DeviceClaims,
    TokenInvalid,
    issue_device_token,
    issue_session_token,
    new_session_id,
    session_entry,
    sessions_to_drop,
    verify_device_token,
    verify_session_token,
)
from chalicelib.errors import BadRequest, InvalidInput, RateLimited, Unauthenticated
from chalicelib.observability import log
from chalicelib.services.identity import may_sign_in
from chalicelib.settings import Settings
from chalicelib.storage import Store

ACTIVATION_VALID_DAYS = 30
# Live sessions kept per account; signing in once more drops the oldest (a member rarely has more than a few).
MAX_SESSIONS_PER_ACCOUNT = 20

# Verified against when the 工号 is unknown, so that a wrong 工号 takes as long as a wrong password.
_DECOY_HASH = "scrypt$ln=14,r=8,p=1$145ajnv4HCqNBlmiA2g5Hg$PmWzn1wgpMRgRBzBF1RaEa6s265qiWFhLPbr5fMICzA"


class Session(NamedTuple):
    token: str
    expires_at: datetime
    member: Member
    # The known-device cookie to set (after a sign-in or activation): this browser is familiar to the account.
    device_token: str | None = None


class IssuedCode(NamedTuple):
    member: Member
    code: str
    expires_at: datetime


def _activation_key(settings: Settings) -> bytes:
    # A key of its own, derived from the session key, so that one secret never serves two purposes directly.
    return hashlib.sha256(b"union-events activation codes\0" + settings.session_key.encode()).digest()


def _device_key(settings: Settings) -> bytes:
    return hashlib.sha256(b"union-events known devices\0" + settings.session_key.encode()).digest()


def _device(settings: Settings, device_token: str | None, at: int) -> DeviceClaims | None:
    if not device_token:
        return None
    try:
        return verify_device_token(device_token, _device_key(settings), at)
    except TokenInvalid:
        return None


# ---- the sign-in throttle (policy: chalicelib.domain.throttle) ----------------------------------------------


class _Gate(NamedTuple):
    """The counters of one attempt, read before the password is checked and counted if it is wrong."""

    staff_no: str
    address: str
    pair: str
    unfamiliar: str | None  # None: the source is familiar to the account (known device or past success)
    by_address: str | None  # None: a device known to the account skips the per-address cap
    familiar: str
    pair_failures: int


def _throttled(wait: int, at: int) -> RateLimited:
    retry_at = datetime.fromtimestamp(at + wait, CHINA_TZ).strftime("%H:%M:%S")
    return RateLimited("sign_in_throttled", retry_after=wait, retry_at=retry_at)


def _open_gate(store: Store, staff_no: str, address: str, device: DeviceClaims | None, at: int) -> _Gate:
    """The attempt's counters; RateLimited (with the seconds to wait) if one of them says not yet."""
    throttle = store.sign_in_throttle
    known_device = device is not None and staff_no in device.staff_nos
    source = f"d:{device.device_id}" if device is not None and known_device else f"a:{address}"
    pair = throttle.bucket(PAIR, f"{staff_no}:{source}", at)
    unfamiliar = throttle.bucket(UNFAMILIAR, staff_no, at)
    by_address = throttle.bucket(ADDRESS, address, at)
    familiar = throttle.familiar_bucket(staff_no, address)
    found = throttle.read([pair] if known_device else [pair, unfamiliar, by_address, familiar], at)
    familiar_source = known_device or familiar in found
    attempt = Attempt(
        pair=found.get(pair, Counter()),
        unfamiliar=None if familiar_source else found.get(unfamiliar, Counter()),
        address=None if known_device else found.get(by_address, Counter()),
    )
    wait = retry_after(attempt, at)
    if wait > 0:
        raise _throttled(wait, at)
    return _Gate(
        staff_no=staff_no,
        address=address,
        pair=pair,
        unfamiliar=None if familiar_source else unfamiliar,
        by_address=None if known_device else by_address,
        familiar=familiar,
        pair_failures=attempt.pair.failures,
    )


def _count_failure(store: Store, gate: _Gate, member: Member | None, at: int) -> None:
    """Count a wrong password or code; audit each counter that starts delaying, and tell the owner."""
    throttle = store.sign_in_throttle
    started: list[tuple[Limit, Counter]] = []
    for limit, bucket in ((PAIR, gate.pair), (UNFAMILIAR, gate.unfamiliar), (ADDRESS, gate.by_address)):
        if bucket is None:
            continue
        counter = throttle.fail(bucket, at, limit.window_ends(at) + limit.cap_seconds)
        if limit.started_delaying(counter.failures):
            started.append((limit, counter))
    for limit, counter in started:
        about_account = limit is not ADDRESS
        if about_account and member is None:
            continue  # no such member: nobody to tell, and nothing worth an audit entry
        details = {
            "counter": limit.scope,
            "failures": counter.failures,
            "address": gate.address,
            "retry_after": limit.delay_after(counter.failures),
        }
        unit_id = member.unit_id if about_account and member is not None else "school"
        target = gate.staff_no if about_account else gate.address
        store.audit.add(unit_id, gate.address, "signin.throttled", target, after=details)
        if limit is UNFAMILIAR or (limit is PAIR and gate.unfamiliar is not None):
            item = store.notifications.item(
                gate.staff_no,
                NotificationKind.SIGN_IN_THROTTLED,
                "",
                "",
                now(),
                {"failures": counter.failures, "address": gate.address},
            )
            store.notifications.put_many([item])


def _count_success(store: Store, gate: _Gate, at: int) -> None:
    """The address becomes familiar to the account; the owner's own mistakes are forgiven."""
    store.sign_in_throttle.remember(gate.familiar, at + FAMILIAR_FOR_SECONDS)
    if gate.pair_failures:
        store.sign_in_throttle.forget(gate.pair)


def _device_token(settings: Settings, device: DeviceClaims | None, staff_no: str, at: int) -> str:
    device_id = device.device_id if device is not None else new_session_id()
    earlier = device.staff_nos if device is not None else ()
    staff_nos = (*(s for s in earlier if s != staff_no), staff_no)
    return issue_device_token(device_id, staff_nos, _device_key(settings), at, FAMILIAR_FOR_SECONDS)


# ---- sessions -----------------------------------------------------------------------------------------------


def _token(settings: Settings, member: Member, session_version: int, at: int, session_id: str) -> str:
    key, ttl = settings.session_key.encode(), settings.session_ttl_seconds
    return issue_session_token(member.staff_no, session_version, key, at, ttl, session_id)


def _expiry(settings: Settings, at: int) -> datetime:
    return datetime.fromtimestamp(at + settings.session_ttl_seconds).astimezone()


def _start_session(
    store: Store, settings: Settings, member: Member, account: Account, at: int, *, identified: bool = False
) -> tuple[str, str]:
    """A new live session on the account: (token, entry). Expired entries and the oldest beyond the cap go.
    ``identified``: no password was checked (an outside authority vouched for the member), so the session is
    added on condition that the session version is still the one read instead of the password."""
    session_id = new_session_id()
    entry = session_entry(session_id, at + settings.session_ttl_seconds)
    if identified:
        started = store.accounts.start_identified_session(member.staff_no, entry, account.session_version)
    else:
        assert account.password_hash is not None  # the caller checked the password against it
        started = store.accounts.start_session(member.staff_no, entry, account.password_hash)
    if not started:
        raise Unauthenticated("invalid_credentials")  # the password or the sessions changed while this was checked
    store.accounts.end_sessions(
        member.staff_no, sessions_to_drop(account.sessions | {entry}, at, MAX_SESSIONS_PER_ACCOUNT) - {entry}
    )
    return _token(settings, member, account.session_version, at, session_id), entry


def sign_in(
    store: Store,
    settings: Settings,
    staff_no: str,
    password: str,
    address: str,
    device_token: str | None = None,
    *,
    at: int | None = None,
) -> Session:
    """Check 工号 and password behind the throttle; a new session and a refreshed known-device token."""
    staff_no, at = normalise_staff_no(staff_no), at if at is not None else int(time.time())
    device = _device(settings, device_token, at)
    gate = _open_gate(store, staff_no, address_key(address), device, at)
    member = store.members.get(staff_no)
    account = store.accounts.get(staff_no) if may_sign_in(member) else None
    stored_hash = account.password_hash if account is not None else None
    if not verify_password(password, stored_hash or _DECOY_HASH) or stored_hash is None:
        _count_failure(store, gate, member if may_sign_in(member) else None, at)
        raise Unauthenticated("invalid_credentials")
    assert member is not None and account is not None  # the password matched a stored hash: both were read
    token, _ = _start_session(store, settings, member, account, at)
    _count_success(store, gate, at)
    return Session(token, _expiry(settings, at), member, _device_token(settings, device, staff_no, at))


def sign_in_identified(store: Store, settings: Settings, staff_no: str, source: str) -> Session:
    """A session for a member an outside authority identified (``source``: "cas", "wecom"), without a password or
    an activation code. Refused when the 工号 is not a member who may sign in (unknown, or 离职). The source and
    the 工号 go to the log, never a ticket or a code."""
    staff_no, at = normalise_staff_no(staff_no), int(time.time())
    member = store.members.get(staff_no)
    if not may_sign_in(member):
        log(logging.WARNING, "signin.identified.refused", source=source, staff_no=staff_no[:32])
        raise Unauthenticated("signin_identified_unknown")
    account = store.accounts.get(staff_no) or Account(staff_no)
    token, _ = _start_session(store, settings, member, account, at, identified=True)
    log(logging.INFO, "signin.identified", source=source, staff_no=staff_no)
    return Session(token, _expiry(settings, at), member)


def sign_out(store: Store, settings: Settings, token: str | None) -> None:
    """End the session ``token`` names (a token that is not ours, or already over, ends nothing)."""
    if not token:
        return
    try:
        claims = verify_session_token(token, settings.session_key.encode(), int(time.time()))
    except TokenInvalid:
        return
    if claims.session_id is not None:
        store.accounts.end_sessions(claims.staff_no, {session_entry(claims.session_id, claims.expires_at)})


def sign_out_everywhere(store: Store, staff_no: str) -> None:
    """End every session of the member, on every device (this one included)."""
    store.accounts.end_all_sessions(staff_no)


def _require_acceptable_password(password: str, staff_no: str) -> None:
    problems = password_problems(password, staff_no)
    if problems:
        raise InvalidInput([{"loc": ("password",), "type": f"password_{code}", "msg": code} for code in problems])


def activate(
    store: Store,
    settings: Settings,
    staff_no: str,
    code: str,
    password: str,
    address: str,
    device_token: str | None = None,
) -> Session:
    staff_no, at = normalise_staff_no(staff_no), int(time.time())
    device = _device(settings, device_token, at)
    gate = _open_gate(store, staff_no, address_key(address), device, at)
    _require_acceptable_password(password, staff_no)
    member = store.members.get(staff_no)
    digest = activation_code_digest(normalise_activation_code(code), _activation_key(settings))
    session_id = new_session_id()
    entry = session_entry(session_id, at + settings.session_ttl_seconds)
    if not may_sign_in(member) or not store.accounts.activate(staff_no, digest, hash_password(password), now(), entry):
        _count_failure(store, gate, member if may_sign_in(member) else None, at)
        raise BadRequest("activation_invalid")
    _count_success(store, gate, at)
    activated = store.accounts.get(staff_no)
    assert member is not None and activated is not None  # may_sign_in(member), and the account was just activated
    token = _token(settings, member, activated.session_version, at, session_id)
    return Session(token, _expiry(settings, at), member, _device_token(settings, device, staff_no, at))


def change_password(
    store: Store,
    settings: Settings,
    member: Member,
    current: str,
    new: str,
    address: str,
    device_token: str | None = None,
) -> Session:
    at = int(time.time())
    gate = _open_gate(store, member.staff_no, address_key(address), _device(settings, device_token, at), at)
    account = store.accounts.get(member.staff_no)
    if account is None or not account.password_hash or not verify_password(current, account.password_hash):
        _count_failure(store, gate, member, at)
        raise Unauthenticated("invalid_credentials")
    _require_acceptable_password(new, member.staff_no)
    session_id = new_session_id()
    # Every other session ends: this one continues under a new token, the account's only live session.
    store.accounts.set_password(
        member.staff_no, hash_password(new), keep_session=session_entry(session_id, at + settings.session_ttl_seconds)
    )
    changed = store.accounts.get(member.staff_no)
    assert changed is not None  # its password was just set
    token = _token(settings, member, changed.session_version, at, session_id)
    return Session(token, _expiry(settings, at), member)


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
