"""The verifiable lottery: commitment, draw order, allocation with quotas, and re-checking a published draw."""

from __future__ import annotations

import copy
import hashlib
import json
import random
from collections import Counter

import pytest

from chalicelib.domain.lottery import (
    ALGORITHM,
    Applicant,
    allocate,
    applicants_digest,
    commitment,
    draw_key,
    draw_order,
    new_seed,
    published_draw,
    run_draw,
    verify_draw,
)

COMMITMENT_PROBLEM = "the seed does not match the commitment published before the draw"
LIST_PROBLEM = "the applicant list is not the one the draw was published with"
WINNERS_PROBLEM = "re-running the draw gives other winners"
WAITING_PROBLEM = "re-running the draw gives another waiting list"


def seed_for(number: int) -> str:
    """A fixed seed per number, so every test (and the statistics) come out the same on every run."""
    return hashlib.sha256(f"test-seed-{number}".encode()).hexdigest()


SEED = seed_for(0)


def applicants(count: int, units: tuple[str, ...] = ("cs", "math", "lib"), tier: int = 0) -> list[Applicant]:
    return [Applicant(f"T{number:04d}", units[number % len(units)], tier) for number in range(1, count + 1)]


def staff_nos(people) -> list[str]:
    return [person.staff_no for person in people]


def published(seed: str = SEED, people=None, capacity: int = 4, quotas=None) -> dict:
    """A draw as the app publishes it, through JSON as a member would download it."""
    people = applicants(12) if people is None else people
    result = run_draw(seed, people, capacity, quotas)
    return json.loads(json.dumps(published_draw("ev-1", seed, people, capacity, quotas, result)))


def tampered_hex(text: str, position: int = 10) -> str:
    replacement = "0" if text[position] != "0" else "1"
    return text[:position] + replacement + text[position + 1 :]


# ---------------------------------------------------------------- seed and commitment


def test_new_seed_is_256_random_bits_in_hex():
    seeds = {new_seed() for _ in range(20)}
    assert len(seeds) == 20
    for seed in seeds:
        assert len(seed) == 64
        int(seed, 16)  # raises unless hexadecimal


def test_commitment_is_the_sha256_of_the_seed():
    # The FIPS 180-2 test vector, so the commitment is checkable with any SHA-256 tool (sha256sum, openssl).
    assert commitment("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    seed = new_seed()
    assert commitment(seed) == hashlib.sha256(seed.encode()).hexdigest()
    assert commitment(tampered_hex(seed)) != commitment(seed)


def test_draw_key_is_the_sha256_of_seed_colon_staff_no():
    assert draw_key(SEED, "T0001") == hashlib.sha256(f"{SEED}:T0001".encode()).hexdigest()
    assert draw_key(SEED, "T0001") != draw_key(SEED, "T0002")
    assert draw_key(SEED, "T0001") != draw_key(seed_for(1), "T0001")


# ---------------------------------------------------------------- draw order


def test_draw_order_is_by_key():
    people = applicants(30)
    order = draw_order(SEED, people)
    assert sorted(order) == sorted(people)
    keys = [draw_key(SEED, person.staff_no) for person in order]
    assert keys == sorted(keys)


def test_draw_order_does_not_depend_on_the_order_of_the_list():
    people = applicants(50)
    expected = draw_order(SEED, people)
    shuffler = random.Random(7)
    for _ in range(10):
        shuffled = people[:]
        shuffler.shuffle(shuffled)
        assert draw_order(SEED, shuffled) == expected
    assert draw_order(SEED, reversed(people)) == expected  # any iterable will do
    assert draw_order(SEED, iter(people)) == expected


def test_same_seed_gives_the_same_order_and_another_seed_another():
    people = applicants(50)
    assert draw_order(SEED, people) == draw_order(SEED, list(people))
    orders = {tuple(staff_nos(draw_order(seed_for(number), people))) for number in range(20)}
    assert len(orders) == 20
    # Not merely another order: the leaders differ too.
    assert draw_order(SEED, people)[:5] != draw_order(seed_for(1), people)[:5]


def test_draw_order_is_not_the_order_of_staff_numbers():
    people = applicants(50)
    assert staff_nos(draw_order(SEED, people)) != sorted(staff_nos(people))


def test_every_tier_0_applicant_draws_before_any_tier_1():
    people = applicants(20, tier=0)[::2] + [a._replace(tier=1) for a in applicants(20)[1::2]]
    for number in range(20):
        order = draw_order(seed_for(number), people)
        tiers = [person.tier for person in order]
        assert tiers == sorted(tiers)
        assert tiers.count(0) == 10
        # Within a tier, the keys decide.
        for tier in (0, 1):
            keys = [draw_key(seed_for(number), a.staff_no) for a in order if a.tier == tier]
            assert keys == sorted(keys)


def test_three_tiers_draw_in_tier_order():
    people = [Applicant(f"T{n:03d}", "cs", n % 3) for n in range(30)]
    tiers = [person.tier for person in draw_order(SEED, people)]
    assert tiers == [0] * 10 + [1] * 10 + [2] * 10


def test_a_tier_1_applicant_never_wins_while_a_tier_0_one_waits():
    people = applicants(6, tier=1) + [Applicant(f"P{n}", "cs", 0) for n in range(4)]
    for number in range(30):
        result = run_draw(seed_for(number), people, 4, None)
        assert {a.staff_no for a in result.winners} == {"P0", "P1", "P2", "P3"}


def test_an_applicant_listed_twice_is_refused():
    people = [*applicants(5), Applicant("T0003", "lib", 1)]
    with pytest.raises(ValueError, match="twice"):
        draw_order(SEED, people)
    with pytest.raises(ValueError, match="twice"):
        run_draw(SEED, people, 3, None)
    with pytest.raises(ValueError, match="twice"):
        draw_order(SEED, [Applicant("T1", "cs"), Applicant("T1", "cs")])


def test_no_applicants_draws_nobody():
    assert draw_order(SEED, []) == []
    result = run_draw(SEED, [], 5, {"cs": 5})
    assert result.order == result.winners == result.waiting == ()


# ---------------------------------------------------------------- allocation


def A(staff_no: str, unit_id: str, tier: int = 0) -> Applicant:
    """An applicant, short enough for a draw order to read at a glance."""
    return Applicant(staff_no, unit_id, tier)


def test_everyone_wins_when_there_are_places_enough():
    order = draw_order(SEED, applicants(8))
    for capacity in (8, 9, 100):
        result = allocate(order, capacity)
        assert result.winners == tuple(order)
        assert result.waiting == ()
        assert result.order == tuple(order)


def test_no_places_puts_everyone_on_the_waiting_list_in_draw_order():
    order = draw_order(SEED, applicants(8))
    result = allocate(order, 0)
    assert result.winners == ()
    assert result.waiting == tuple(order)
    assert allocate(order, 0, {"cs": 0, "math": 0, "lib": 0}).winners == ()


def test_places_go_down_the_draw_order():
    order = draw_order(SEED, applicants(10))
    result = allocate(order, 3)
    assert result.winners == tuple(order[:3])
    assert result.waiting == tuple(order[3:])
    assert allocate(order, 3, None) == allocate(order, 3, {}) == result


def test_each_unit_first_gets_its_quota_from_its_own_applicants_in_draw_order():
    order = [A("a1", "A"), A("a2", "A"), A("a3", "A"), A("a4", "A"), A("b1", "B"), A("c1", "C"), A("b2", "B")]
    result = allocate(order, 4, {"A": 2, "B": 1, "C": 1})
    # a3 and a4 come before b1 and c1 in the draw, but unit A's quota is used up by a1 and a2.
    assert staff_nos(result.winners) == ["a1", "a2", "b1", "c1"]
    assert staff_nos(result.waiting) == ["a3", "a4", "b2"]


def test_a_quota_goes_to_the_units_earliest_applicants_not_its_latest():
    order = [A("b1", "B"), A("a1", "A"), A("b2", "B"), A("a2", "A"), A("b3", "B")]
    result = allocate(order, 2, {"A": 1, "B": 1})
    assert staff_nos(result.winners) == ["b1", "a1"]
    assert staff_nos(result.waiting) == ["b2", "a2", "b3"]


def test_unused_quota_goes_back_to_everyone_down_the_order():
    # Unit C has a quota of 2 but only one applicant; unit D has a quota and nobody applied.
    order = [A("a1", "A"), A("a2", "A"), A("c1", "C"), A("b1", "B"), A("a3", "A"), A("b2", "B"), A("b3", "B")]
    result = allocate(order, 6, {"A": 1, "B": 1, "C": 2, "D": 2})
    # First pass: a1 (A), c1 (C), b1 (B); the three places left go to a2, a3, b2 in draw order.
    assert staff_nos(result.winners) == ["a1", "a2", "c1", "b1", "a3", "b2"]
    assert staff_nos(result.waiting) == ["b3"]


def test_a_unit_without_a_quota_only_gets_places_from_the_common_pool():
    order = [A("x1", "X"), A("x2", "X"), A("a1", "A"), A("x3", "X"), A("a2", "A")]
    result = allocate(order, 3, {"A": 2})
    assert staff_nos(result.winners) == ["x1", "a1", "a2"]
    assert staff_nos(result.waiting) == ["x2", "x3"]


def test_quotas_never_give_more_places_than_capacity():
    order = [A("a1", "A"), A("b1", "B"), A("c1", "C"), A("d1", "D")]
    result = allocate(order, 2, {"A": 2, "B": 2, "C": 2, "D": 2})
    assert staff_nos(result.winners) == ["a1", "b1"]
    assert staff_nos(result.waiting) == ["c1", "d1"]


def test_quotas_hold_across_tiers():
    # A unit's quota goes to its tier-1 applicant rather than to a tier-0 applicant of another unit.
    people = [A("a1", "A", 0), A("a2", "A", 0), A("b1", "B", 1)]
    for number in range(10):
        result = run_draw(seed_for(number), people, 2, {"A": 1, "B": 1})
        assert result.order[-1].staff_no == "b1"
        assert "b1" in staff_nos(result.winners)
        assert staff_nos(result.waiting) == [staff_nos(result.order)[1]]


def test_allocation_properties_over_random_draws():
    rng = random.Random(20260301)
    units = ("A", "B", "C", "D", "E")
    for number in range(300):
        people = [Applicant(f"T{n:03d}", rng.choice(units), rng.choice((0, 0, 1))) for n in range(rng.randint(0, 40))]
        capacity = rng.randint(0, 30)
        quotas = None
        if rng.random() < 0.6:
            shares = [rng.randint(0, 8) for _ in units]
            quotas = {unit: share for unit, share in zip(units, shares, strict=True) if share}
        result = run_draw(seed_for(number), people, capacity, quotas)
        # Everyone is placed exactly once, in draw order.
        assert len(result.winners) == min(capacity, len(people))
        assert sorted(result.winners + result.waiting) == sorted(people)
        rank = {a.staff_no: i for i, a in enumerate(result.order)}
        assert [rank[a.staff_no] for a in result.winners] == sorted(rank[a.staff_no] for a in result.winners)
        assert [rank[a.staff_no] for a in result.waiting] == sorted(rank[a.staff_no] for a in result.waiting)
        if quotas and sum(quotas.values()) <= capacity:
            # Each unit gets its quota, or all its applicants if fewer applied.
            won = Counter(a.unit_id for a in result.winners)
            applied = Counter(a.unit_id for a in people)
            for unit, quota in quotas.items():
                assert won[unit] >= min(quota, applied[unit])
        if not quotas:
            assert result.winners == result.order[: len(result.winners)]
        # And the published draw always checks out.
        data = published_draw("e", seed_for(number), people, capacity, quotas, result)
        assert verify_draw(json.loads(json.dumps(data))) == []


def test_each_applicant_wins_about_as_often_as_any_other():
    """Over 200 fixed seeds, 10 applicants for 5 places each win about 100 times.

    The count is binomial (n=200, p=1/2, standard deviation about 7), so 60..140 is more than five standard
    deviations either way: an unbiased draw never leaves it, while a draw that favours the list order (the first
    five in order of 工号 always winning) or ignores the seed lands at 0 or 200.
    """
    people = applicants(10)
    wins: Counter[str] = Counter()
    firsts: Counter[str] = Counter()
    for number in range(200):
        result = run_draw(seed_for(number), people, 5, None)
        assert len(result.winners) == 5
        wins.update(staff_nos(result.winners))
        firsts[result.order[0].staff_no] += 1
    assert sum(wins.values()) == 1000
    for person in people:
        assert 60 <= wins[person.staff_no] <= 140, (person.staff_no, wins)
    # The first place of the order, expected 20 times each, is spread too.
    assert len(firsts) == 10
    assert max(firsts.values()) <= 45


# ---------------------------------------------------------------- publishing and verifying


def test_published_draw_holds_everything_needed_and_no_names():
    people = [A("T3", "math", 1), A("T1", "cs"), A("T2", "cs")]
    result = run_draw(SEED, people, 2, {"math": 1, "cs": 1})
    data = published_draw("ev-9", SEED, people, 2, {"math": 1, "cs": 1}, result)
    assert data["algorithm"] == ALGORITHM
    assert data["event_id"] == "ev-9"
    assert data["seed"] == SEED
    assert data["commitment"] == commitment(SEED)
    assert data["capacity"] == 2
    assert list(data["quotas"]) == ["cs", "math"]
    assert data["applicants"] == [
        {"staff_no": "T1", "unit_id": "cs", "tier": 0},
        {"staff_no": "T2", "unit_id": "cs", "tier": 0},
        {"staff_no": "T3", "unit_id": "math", "tier": 1},
    ]
    assert data["applicants_sha256"] == applicants_digest(people)
    assert data["winners"] == staff_nos(result.winners)
    assert data["waiting"] == staff_nos(result.waiting)
    assert json.loads(json.dumps(data)) == data  # plain JSON


def test_applicants_digest_names_the_list_whatever_its_order():
    people = applicants(10)
    assert applicants_digest(people) == applicants_digest(reversed(people))
    lines = "".join(f"{a.staff_no},{a.unit_id},{a.tier}\n" for a in people)
    assert applicants_digest(people) == hashlib.sha256(lines.encode()).hexdigest()
    assert applicants_digest(people[1:]) != applicants_digest(people)
    assert applicants_digest([people[0]._replace(tier=1), *people[1:]]) != applicants_digest(people)
    assert applicants_digest([people[0]._replace(unit_id="x"), *people[1:]]) != applicants_digest(people)


def test_an_honest_draw_verifies():
    assert verify_draw(published()) == []
    assert verify_draw(published(), expected_commitment=commitment(SEED)) == []
    people = applicants(15, tier=1)[:7] + applicants(15)[7:]
    assert verify_draw(published(seed_for(3), people, 6, {"cs": 2, "math": 2, "lib": 2})) == []
    assert verify_draw(published(people=[], capacity=3)) == []
    assert verify_draw(published(capacity=0)) == []


def test_a_changed_seed_does_not_match_the_commitment():
    data = published()
    data["seed"] = tampered_hex(data["seed"])
    problems = verify_draw(data)
    assert COMMITMENT_PROBLEM in problems


def test_a_forged_draw_with_its_own_commitment_fails_against_the_published_commitment():
    honest = published(SEED)
    forged = published(seed_for(99))  # another seed, committed and drawn consistently
    assert forged["winners"] != honest["winners"]
    assert verify_draw(forged) == []  # consistent in itself...
    # ...but not with the commitment shown on the event page before the draw.
    assert verify_draw(forged, expected_commitment=honest["commitment"]) == [COMMITMENT_PROBLEM]


def test_the_expected_commitment_is_what_counts_when_given():
    data = published()
    assert verify_draw(data, expected_commitment=commitment(seed_for(5))) == [COMMITMENT_PROBLEM]
    data["commitment"] = commitment(seed_for(5))  # a wrong commitment in the file
    assert verify_draw(data) == [COMMITMENT_PROBLEM]
    assert verify_draw(data, expected_commitment=commitment(SEED)) == []


def test_an_applicant_removed_from_the_list_is_found():
    data = published()
    removed = data["winners"][0]
    data["applicants"] = [a for a in data["applicants"] if a["staff_no"] != removed]
    problems = verify_draw(data)
    assert LIST_PROBLEM in problems
    assert WINNERS_PROBLEM in problems  # the winner is missing from the re-run
    # Recomputing the digest does not hide it: the re-run gives other winners.
    data["applicants_sha256"] = applicants_digest(Applicant(**a) for a in data["applicants"])
    assert verify_draw(data) == [WINNERS_PROBLEM, WAITING_PROBLEM]


def test_an_applicant_removed_from_the_waiting_list_is_found():
    data = published()
    removed = data["waiting"][-1]
    data["applicants"] = [a for a in data["applicants"] if a["staff_no"] != removed]
    data["waiting"] = data["waiting"][:-1]
    assert verify_draw(data) == [LIST_PROBLEM]


def test_an_applicant_added_to_the_list_is_found():
    data = published()
    data["applicants"].append({"staff_no": "Z9999", "unit_id": "cs", "tier": 0})
    assert LIST_PROBLEM in verify_draw(data)


def test_a_changed_tier_is_found():
    data = published()
    data["applicants"][0]["tier"] = 1 - data["applicants"][0]["tier"]
    assert LIST_PROBLEM in verify_draw(data)


def test_a_changed_unit_is_found():
    data = published()
    data["applicants"][0]["unit_id"] = "elsewhere"
    assert LIST_PROBLEM in verify_draw(data)


def test_a_winner_swapped_with_someone_waiting_is_found():
    data = published()
    data["winners"][0], data["waiting"][0] = data["waiting"][0], data["winners"][0]
    assert verify_draw(data) == [WINNERS_PROBLEM, WAITING_PROBLEM]


def test_winners_reordered_or_added_are_found():
    data = published()
    reordered = copy.deepcopy(data)
    reordered["winners"].reverse()
    assert verify_draw(reordered) == [WINNERS_PROBLEM]
    added = copy.deepcopy(data)
    added["winners"].append(added["waiting"].pop(0))
    assert verify_draw(added) == [WINNERS_PROBLEM, WAITING_PROBLEM]
    reshuffled = copy.deepcopy(data)
    reshuffled["waiting"].reverse()
    assert verify_draw(reshuffled) == [WAITING_PROBLEM]


def test_a_changed_capacity_or_quota_is_found():
    data = published(capacity=4)
    data["capacity"] = 5
    assert WINNERS_PROBLEM in verify_draw(data)
    people = [A("a1", "A"), A("a2", "A"), A("a3", "A"), A("b1", "B")]
    # A seed that draws b1 last, so only B's quota gives b1 a place.
    seed = next(seed_for(n) for n in range(100) if draw_order(seed_for(n), people)[-1].staff_no == "b1")
    with_quotas = published(seed, people, capacity=2, quotas={"A": 1, "B": 1})
    assert "b1" in with_quotas["winners"]
    assert verify_draw(with_quotas) == []
    with_quotas["quotas"] = {}
    assert verify_draw(with_quotas) == [WINNERS_PROBLEM, WAITING_PROBLEM]


def test_an_applicant_listed_twice_in_a_published_draw_is_a_problem_not_a_crash():
    data = published()
    data["applicants"].append(dict(data["applicants"][0]))
    problems = verify_draw(data)
    assert LIST_PROBLEM in problems
    assert any("twice" in problem for problem in problems)


def test_an_unknown_algorithm_is_refused():
    data = published()
    data["algorithm"] = "sha256-rank-v0"
    assert verify_draw(data) == ["unknown algorithm 'sha256-rank-v0'"]
    del data["algorithm"]
    assert verify_draw(data) == ["unknown algorithm None"]
