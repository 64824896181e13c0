"""Unit quotas (名额分配): sharing an event's places among units. Pure functions.

Quotas always add up to the event's capacity, so that before the release date every place belongs to exactly one
unit; on the release date the places a unit has not used go back to everyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from fractions import Fraction


class QuotaProblem(ValueError):
    """``code`` names the problem for the error message; ``params`` fill it in."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def check_fixed(capacity: int, quotas: Mapping[str, int]) -> dict[str, int]:
    if not quotas:
        raise QuotaProblem("quota_no_units")
    if any(quota < 0 for quota in quotas.values()):
        raise QuotaProblem("quota_negative")
    total = sum(quotas.values())
    if total != capacity:
        raise QuotaProblem("quota_sum", total=total, capacity=capacity)
    return dict(quotas)


def largest_remainder(capacity: int, members: Mapping[str, int], minimum: int = 0) -> dict[str, int]:
    """Share ``capacity`` among units in proportion to their active members (Hamilton's method), after giving
    every unit ``minimum`` places (units with no members get the minimum too).

    The places left after the minimums go by each unit's exact share: whole parts first, then one more place to
    the largest remainders; equal remainders go to the unit with more members, then by unit id, so the result is
    the same every time.
    """
    if not members:
        raise QuotaProblem("quota_no_units")
    if minimum < 0 or any(count < 0 for count in members.values()):
        raise QuotaProblem("quota_negative")
    if minimum * len(members) > capacity:
        raise QuotaProblem("quota_minimum_too_large", minimum=minimum, units=len(members), capacity=capacity)
    left = capacity - minimum * len(members)
    total = sum(members.values())
    if total == 0:
        if left:
            raise QuotaProblem("quota_no_members")
        return dict.fromkeys(members, minimum)
    shares = {unit: Fraction(left * count, total) for unit, count in members.items()}
    quotas = {unit: minimum + int(share) for unit, share in shares.items()}
    remaining = capacity - sum(quotas.values())
    by_remainder = sorted(members, key=lambda unit: (-(shares[unit] - int(shares[unit])), -members[unit], unit))
    for unit in by_remainder[:remaining]:
        quotas[unit] += 1
    return quotas


def quotas_bind(release_at: datetime | None, at: datetime) -> bool:
    """Whether unit quotas still hold at ``at``: until the release date (None: always)."""
    return release_at is None or at < release_at
