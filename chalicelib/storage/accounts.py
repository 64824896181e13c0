"""Sign-in accounts, their live sessions, and the sign-in throttle's counters. Every change is one write (conditional
where it matters): no read-then-write."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.calendar import now
from chalicelib.domain.records import Account
from chalicelib.domain.throttle import Counter, Limit
from chalicelib.storage.convert import get_or_none
from chalicelib.storage.salvage import Salvage
from chalicelib.storage.tables import AccountTable, RateLimitTable
from chalicelib.storage.writes import written


class AccountRepository:
    @staticmethod
    def _record(item: AccountTable) -> Account:
        """The account; a damaged item (chalicelib.storage.salvage) reads as one with no live session, so every
        token of it is refused (signed out), and an unreadable password as none (sign-in refused, no 500)."""
        fix = Salvage("accounts", item.staff_no, item.unreadable)
        version = fix.integer("session_version", item.session_version if item.session_version is not None else 0, -1)
        sessions: frozenset[str] = fix.value("sessions", item.sessions or set(), frozenset, frozenset())
        return fix.flag(
            Account(
                staff_no=item.staff_no,
                password_hash=fix.optional("password_hash", item.password_hash, str),
                activation_digest=item.activation_digest,
                activation_expires_at=item.activation_expires_at,
                session_version=version,
                sessions=frozenset() if {"session_version", "sessions"} & set(fix.damaged) else sessions,
            )
        )

    def get(self, staff_no: str) -> Account | None:
        item = get_or_none(AccountTable, staff_no)
        return None if item is None else self._record(item)

    def get_many(self, staff_nos: list[str]) -> dict[str, Account]:
        return {item.staff_no: self._record(item) for item in AccountTable.batch_get(staff_nos)}

    def offer_activation(self, staff_no: str, digest: str, expires_at: datetime) -> bool:
        """Store a new one-time code for a member who has not activated yet. False if they already have."""
        item = AccountTable(staff_no, activation_digest=digest, activation_expires_at=expires_at, updated_at=now())
        return written(item.save, condition=AccountTable.password_hash.does_not_exist())

    def activate(self, staff_no: str, digest: str, password_hash: str, at: datetime, session: str) -> bool:
        """Use the one-time code: set the password only if the code matches and has not expired or been used.
        ``session`` (an entry of the session list) becomes the account's only live session."""
        return written(
            AccountTable(staff_no).update,
            actions=[
                AccountTable.password_hash.set(password_hash),
                AccountTable.sessions.set({session}),
                AccountTable.activation_digest.remove(),
                AccountTable.activation_expires_at.remove(),
                AccountTable.session_version.add(1),
                AccountTable.updated_at.set(at),
            ],
            condition=(AccountTable.activation_digest == digest)
            & (AccountTable.activation_expires_at > at)
            & AccountTable.password_hash.does_not_exist(),
        )

    def set_password(self, staff_no: str, password_hash: str, keep_session: str | None = None) -> None:
        """Set a password (password change, demo accounts). Ends every existing session but ``keep_session``."""
        AccountTable(staff_no).update(
            actions=[
                AccountTable.password_hash.set(password_hash),
                AccountTable.activation_digest.remove(),
                AccountTable.activation_expires_at.remove(),
                AccountTable.session_version.add(1),
                AccountTable.sessions.set({keep_session}) if keep_session else AccountTable.sessions.remove(),
                AccountTable.updated_at.set(now()),
            ]
        )

    def start_session(self, staff_no: str, session: str, password_hash: str) -> bool:
        """Add a live session, only if the password is still the one just checked (not changed meanwhile)."""
        return written(
            AccountTable(staff_no).update,
            actions=[AccountTable.sessions.add({session})],
            condition=AccountTable.password_hash == password_hash,
        )

    def start_identified_session(self, staff_no: str, session: str, session_version: int) -> bool:
        """Add a live session for a member identified by an outside authority (CAS, 企业微信): no password is
        checked, so the condition is the session version just read (a password change or "sign out everywhere"
        meanwhile bumps it). A member who never activated gets an account item holding only the session (its
        password stays unset, so activation still works)."""
        same_version = AccountTable.session_version == session_version
        if session_version == 0:
            same_version = same_version | AccountTable.session_version.does_not_exist()
        return written(
            AccountTable(staff_no).update,
            actions=[
                AccountTable.sessions.add({session}),
                AccountTable.session_version.set(AccountTable.session_version | 0),
                AccountTable.updated_at.set(now()),
            ],
            condition=same_version,
        )

    def end_sessions(self, staff_no: str, sessions: set[str]) -> None:
        """Remove sessions from the live list (sign-out, expired entries). Removing an absent one is harmless."""
        if not sessions:
            return
        written(
            AccountTable(staff_no).update,
            actions=[AccountTable.sessions.delete(set(sessions))],
            condition=AccountTable.staff_no.exists(),
        )

    def end_all_sessions(self, staff_no: str) -> bool:
        """Sign out everywhere: no session of the account is live any more. False if there is no account."""
        return written(
            AccountTable(staff_no).update,
            actions=[
                AccountTable.sessions.remove(),
                AccountTable.session_version.add(1),
                AccountTable.updated_at.set(now()),
            ],
            condition=AccountTable.staff_no.exists(),
        )


class SignInThrottle:
    """The sign-in throttle's counters (chalicelib.domain.throttle), one item per counter and window, and the
    addresses each account signed in from. All of one attempt's items are read with one BatchGetItem."""

    @staticmethod
    def bucket(limit: Limit, key: str, at: int) -> str:
        return f"{limit.scope}:{key}:{limit.window(at)}"

    @staticmethod
    def familiar_bucket(staff_no: str, address: str) -> str:
        return f"signin-familiar:{staff_no}:{address}"

    def read(self, buckets: list[str], at: int) -> dict[str, Counter]:
        """The counters among ``buckets`` that exist and have not expired (absent ones are not in the answer)."""
        found = {}
        for item in RateLimitTable.batch_get(list(dict.fromkeys(buckets))):
            if item.expires_at is None or item.expires_at.timestamp() > at:
                found[item.bucket] = Counter(int(item.failures or 0), int(item.last_at or 0))
        return found

    def fail(self, bucket: str, at: int, expires: int) -> Counter:
        """Count one failure; the counter as it is after it."""
        item = RateLimitTable(bucket)
        item.update(
            actions=[
                RateLimitTable.failures.add(1),
                RateLimitTable.last_at.set(at),
                RateLimitTable.expires_at.set(datetime.fromtimestamp(expires, tz=UTC)),
            ]
        )
        return Counter(int(item.failures), at)

    def forget(self, bucket: str) -> None:
        RateLimitTable(bucket).delete()

    def remember(self, bucket: str, expires: int) -> None:
        RateLimitTable(bucket, failures=0, expires_at=datetime.fromtimestamp(expires, tz=UTC)).save()
