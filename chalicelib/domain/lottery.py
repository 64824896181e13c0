"""The lottery (抽签): a draw anyone can re-run and check.

1. When a lottery event is created, a random seed is made and its SHA-256 (the *commitment*) is published on the
   event page. The seed itself stays secret until the draw, so nobody can know the outcome while people apply,
   and the organiser cannot pick another seed later: it would not match the commitment.
2. After registration closes, applicants are listed sorted by 工号 with their priority tier. Each gets the key
   ``SHA-256(seed + ":" + 工号)``; the draw order is by tier, then by key. The order does not depend on the order
   anyone applied in or on how the list was read.
3. Places go down the order (first each unit's quota, if the event has quotas, then the places left over); the
   rest form the waiting list in draw order.
4. The seed, the applicant list and the result are published together (``published_draw``). ``verify_draw``
   (``python -m devtools.verify_lottery draw.json``) re-runs steps 2-3 from them and reports any difference.

Pure functions; the randomness of the seed comes from ``secrets``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

ALGORITHM = "sha256-rank-v1"


class Applicant(NamedTuple):
    staff_no: str
    unit_id: str
    tier: int = 0  # 0 draws before 1


class DrawResult(NamedTuple):
    order: tuple[Applicant, ...]  # everybody, in draw order
    winners: tuple[Applicant, ...]  # in draw order
    waiting: tuple[Applicant, ...]  # in draw order: the waiting list


def new_seed() -> str:
    return secrets.token_hex(32)


def commitment(seed: str) -> str:
    return hashlib.sha256(seed.encode("ascii")).hexdigest()


def draw_key(seed: str, staff_no: str) -> str:
    return hashlib.sha256(f"{seed}:{staff_no}".encode()).hexdigest()


def sorted_applicants(applicants: Iterable[Applicant]) -> list[Applicant]:
    return sorted(applicants, key=lambda applicant: applicant.staff_no)


def applicants_digest(applicants: Iterable[Applicant]) -> str:
    """SHA-256 of the sorted applicant list, one ``工号,unit,tier`` line each: names the exact list drawn from."""
    lines = "".join(f"{a.staff_no},{a.unit_id},{a.tier}\n" for a in sorted_applicants(applicants))
    return hashlib.sha256(lines.encode()).hexdigest()


def draw_order(seed: str, applicants: Iterable[Applicant]) -> list[Applicant]:
    listed = sorted_applicants(applicants)
    staff_nos = [applicant.staff_no for applicant in listed]
    if len(set(staff_nos)) != len(staff_nos):
        raise ValueError("an applicant is listed twice")
    return sorted(listed, key=lambda applicant: (applicant.tier, draw_key(seed, applicant.staff_no)))


def allocate(order: list[Applicant], capacity: int, quotas: Mapping[str, int] | None = None) -> DrawResult:
    """Give ``capacity`` places down the draw order.

    With quotas, a first pass gives each unit up to its quota, to its applicants in draw order; places a unit
    leaves unused go back to everyone, and a second pass gives them down the order to those not yet placed.
    """
    placed: set[str] = set()
    if quotas:
        left = dict(quotas)
        for applicant in order:
            if len(placed) < capacity and left.get(applicant.unit_id, 0) > 0:
                left[applicant.unit_id] -= 1
                placed.add(applicant.staff_no)
    for applicant in order:
        if len(placed) >= capacity:
            break
        placed.add(applicant.staff_no)
    winners = tuple(applicant for applicant in order if applicant.staff_no in placed)
    waiting = tuple(applicant for applicant in order if applicant.staff_no not in placed)
    return DrawResult(tuple(order), winners, waiting)


def run_draw(seed: str, applicants: Iterable[Applicant], capacity: int, quotas: Mapping[str, int] | None) -> DrawResult:
    return allocate(draw_order(seed, applicants), capacity, quotas)


def published_draw(
    event_id: str,
    seed: str,
    applicants: Iterable[Applicant],
    capacity: int,
    quotas: Mapping[str, int] | None,
    result: DrawResult,
) -> dict[str, Any]:
    """Everything needed to re-run the draw and check it: no names, only 工号, units and tiers."""
    listed = sorted_applicants(applicants)
    return {
        "algorithm": ALGORITHM,
        "event_id": event_id,
        "commitment": commitment(seed),
        "seed": seed,
        "capacity": capacity,
        "quotas": dict(sorted((quotas or {}).items())),
        "applicants": [{"staff_no": a.staff_no, "unit_id": a.unit_id, "tier": a.tier} for a in listed],
        "applicants_sha256": applicants_digest(listed),
        "winners": [a.staff_no for a in result.winners],
        "waiting": [a.staff_no for a in result.waiting],
    }


def verify_draw(published: Mapping[str, Any], expected_commitment: str | None = None) -> list[str]:
    """Problems found re-running a published draw; an empty list means the draw checks out.

    ``expected_commitment`` is the commitment the checker saw published before the draw (the event page);
    without it, the one in the file is checked against the seed.
    """
    problems = []
    if published.get("algorithm") != ALGORITHM:
        return [f"unknown algorithm {published.get('algorithm')!r}"]
    seed = str(published["seed"])
    if commitment(seed) != (expected_commitment or published["commitment"]).lower():
        problems.append("the seed does not match the commitment published before the draw")
    applicants = [Applicant(a["staff_no"], a["unit_id"], int(a["tier"])) for a in published["applicants"]]
    if applicants_digest(applicants) != published["applicants_sha256"]:
        problems.append("the applicant list is not the one the draw was published with")
    try:
        result = run_draw(seed, applicants, int(published["capacity"]), published.get("quotas") or None)
    except ValueError as error:
        return [*problems, str(error)]
    if [a.staff_no for a in result.winners] != list(published["winners"]):
        problems.append("re-running the draw gives other winners")
    if [a.staff_no for a in result.waiting] != list(published["waiting"]):
        problems.append("re-running the draw gives another waiting list")
    return problems
