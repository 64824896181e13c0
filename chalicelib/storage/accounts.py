"""Sign-in accounts and failed-attempt counters. Every change is one conditional write: no read-then-write."""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from chalicelib.domain.calendar import now
from chalicelib.domain.records import Account
from chalicelib.storage.tables import AccountTable, RateLimitTable


def _failed_condition(error: Exception) -> bool:
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


class AccountRepository:
    @staticmethod
    def _record(item: AccountTable) -> Account:
        return Account(
            staff_no=item.staff_no,
            password_hash=item.password_hash,
            activation_digest=item.activation_digest,
            activation_expires_at=item.activation_expires_at,
            session_version=int(item.session_version),
        )

    def get(self, staff_no: str) -> Account | None:
        try:
            return self._record(AccountTable.get(staff_no))
        except DoesNotExist:
            return None

    def get_many(self, staff_nos: list[str]) -> dict[str, Account]:
        return {item.staff_no: self._record(item) for item in AccountTable.batch_get(staff_nos)}

    def offer_activation(self, staff_no: str, digest: str, expires_at: datetime) -> bool:
        """Store a new one-time code for a member who has not activated yet. False if they already have."""
        try:
            AccountTable(staff_no, activation_digest=digest, activation_expires_at=expires_at, updated_at=now()).save(
                condition=AccountTable.password_hash.does_not_exist()
            )
        except PutError as error:
            if _failed_condition(error):
                return False
            raise
        return True

    def activate(self, staff_no: str, digest: str, password_hash: str, at: datetime) -> bool:
        """Use the one-time code: set the password only if the code matches and has not expired or been used."""
        try:
            AccountTable(staff_no).update(
                actions=[
                    AccountTable.password_hash.set(password_hash),
                    AccountTable.activation_digest.remove(),
                    AccountTable.activation_expires_at.remove(),
                    AccountTable.session_version.add(1),
                    AccountTable.updated_at.set(at),
                ],
                condition=(AccountTable.activation_digest == digest)
                & (AccountTable.activation_expires_at > at)
                & AccountTable.password_hash.does_not_exist(),
            )
        except UpdateError as error:
            if _failed_condition(error):
                return False
            raise
        return True

    def set_password(self, staff_no: str, password_hash: str) -> None:
        """Set a password (password change, demo accounts). Ends every existing session."""
        AccountTable(staff_no).update(
            actions=[
                AccountTable.password_hash.set(password_hash),
                AccountTable.activation_digest.remove(),
                AccountTable.activation_expires_at.remove(),
                AccountTable.session_version.add(1),
                AccountTable.updated_at.set(now()),
            ]
        )


class FailureCounter:
    """Fixed-window counters: one item per key and window, incremented atomically, deleted by TTL afterwards."""

    def __init__(self, scope: str, window_seconds: int) -> None:
        self.scope = scope
        self.window_seconds = window_seconds

    def _bucket(self, key: str, at: int) -> tuple[str, int]:
        window = at // self.window_seconds
        return f"{self.scope}:{key}:{window}", (window + 2) * self.window_seconds

    def count(self, key: str, at: int) -> int:
        bucket, _ = self._bucket(key, at)
        try:
            return int(RateLimitTable.get(bucket).count)
        except DoesNotExist:
            return 0

    def add(self, key: str, at: int) -> int:
        bucket, expires = self._bucket(key, at)
        item = RateLimitTable(bucket)
        expiry = datetime.fromtimestamp(expires, tz=UTC)
        item.update(actions=[RateLimitTable.count.add(1), RateLimitTable.expires_at.set(expiry)])
        return int(item.count)
