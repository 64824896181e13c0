"""Unit quotas: fixed quotas that must add up to capacity, Hamilton's largest remainder method, release dates."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from fractions import Fraction

import pytest

from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.quotas import QuotaProblem, check_fixed, largest_remainder, quotas_bind

# ---------------------------------------------------------------- fixed quotas


def test_fixed_quotas_that_add_up_are_accepted():
    quotas = {"cs": 3, "math": 2, "lib": 0}
    checked = check_fixed(5, quotas)
    assert checked == {"cs": 3, "math": 2, "lib": 0}
    checked["cs"] = 99
    assert quotas["cs"] == 3  # a copy


@pytest.mark.parametrize(("capacity", "quotas", "total"), [(10, {"cs": 3, "math": 2}, 5), (4, {"cs": 3, "math": 2}, 5)])
def test_fixed_quotas_must_add_up_to_capacity(capacity, quotas, total):
    with pytest.raises(QuotaProblem) as caught:
        check_fixed(capacity, quotas)
    assert caught.value.code == "quota_sum"
    assert caught.value.params == {"total": total, "capacity": capacity}


def test_a_negative_fixed_quota_is_refused_even_when_the_sum_is_right():
    with pytest.raises(QuotaProblem) as caught:
        check_fixed(5, {"cs": 6, "math": -1})
    assert caught.value.code == "quota_negative"


def test_fixed_quotas_need_a_unit():
    with pytest.raises(QuotaProblem) as caught:
        check_fixed(5, {})
    assert caught.value.code == "quota_no_units"


def test_a_quota_problem_is_a_value_error_named_by_its_code():
    problem = QuotaProblem("quota_sum", total=3, capacity=4)
    assert isinstance(problem, ValueError)
    assert str(problem) == "quota_sum"
    assert problem.params == {"total": 3, "capacity": 4}


# ---------------------------------------------------------------- largest remainder


def test_shares_that_come_out_whole_are_given_as_they_are():
    assert largest_remainder(10, {"a": 6, "b": 3, "c": 1}) == {"a": 6, "b": 3, "c": 1}
    assert largest_remainder(20, {"a": 6, "b": 3, "c": 1}) == {"a": 12, "b": 6, "c": 2}


def test_the_places_left_after_whole_parts_go_to_the_largest_remainders():
    # Exact shares 50/11 = 4.55, 40/11 = 3.64, 20/11 = 1.82: whole parts 4 + 3 + 1 = 8, and the two places left
    # go to c (.82) and b (.64). Rounding each share would have given 5 + 4 + 2 = 11 places for 10.
    assert largest_remainder(10, {"a": 5, "b": 4, "c": 2}) == {"a": 4, "b": 4, "c": 2}


def test_textbook_example_of_hamiltons_method():
    # Populations 2,560 / 3,315 / 995 / 5,012 (total 11,882), 25 seats: exact quotas 5.386, 6.975, 2.094, 10.545;
    # lower quotas 5 + 6 + 2 + 10 = 23; the two seats left go to B (.975) and D (.545).
    members = {"A": 2560, "B": 3315, "C": 995, "D": 5012}
    assert largest_remainder(25, members) == {"A": 5, "B": 7, "C": 2, "D": 11}


def test_the_alabama_paradox_is_a_known_property_of_the_method():
    # One more place to share can cost a small unit a place (Hamilton's method, as documented).
    members = {"a": 6, "b": 6, "c": 2}
    assert largest_remainder(10, members) == {"a": 4, "b": 4, "c": 2}
    assert largest_remainder(11, members) == {"a": 5, "b": 5, "c": 1}


def test_the_minimum_comes_first_and_the_rest_goes_by_members():
    members = {"a": 90, "b": 9, "c": 1}
    assert largest_remainder(10, members) == {"a": 9, "b": 1, "c": 0}
    # Minimum 1: 7 places left, exact shares 6.3 / .63 / .07; b's remainder is largest.
    assert largest_remainder(10, members, minimum=1) == {"a": 7, "b": 2, "c": 1}
    # Minimum 2: 4 places left, exact shares 3.6 / .36 / .04; a's remainder is largest.
    assert largest_remainder(10, members, minimum=2) == {"a": 6, "b": 2, "c": 2}


def test_a_unit_with_no_members_gets_the_minimum_and_no_more():
    assert largest_remainder(5, {"a": 10, "z": 0}, minimum=1) == {"a": 4, "z": 1}
    assert largest_remainder(5, {"a": 10, "z": 0}) == {"a": 5, "z": 0}
    assert largest_remainder(7, {"a": 1, "b": 1, "z": 0}, minimum=1) == {"a": 3, "b": 3, "z": 1}


def test_a_minimum_larger_than_the_places_is_refused():
    with pytest.raises(QuotaProblem) as caught:
        largest_remainder(10, {"a": 5, "b": 5, "c": 5}, minimum=4)
    assert caught.value.code == "quota_minimum_too_large"
    assert caught.value.params == {"minimum": 4, "units": 3, "capacity": 10}


def test_a_minimum_that_takes_every_place_is_fine():
    assert largest_remainder(9, {"a": 50, "b": 5, "c": 0}, minimum=3) == {"a": 3, "b": 3, "c": 3}


def test_places_left_with_no_members_anywhere_are_refused():
    with pytest.raises(QuotaProblem) as caught:
        largest_remainder(10, {"a": 0, "b": 0}, minimum=1)
    assert caught.value.code == "quota_no_members"
    with pytest.raises(QuotaProblem) as caught:
        largest_remainder(1, {"a": 0})
    assert caught.value.code == "quota_no_members"


def test_no_members_anywhere_is_fine_when_the_minimums_take_every_place():
    assert largest_remainder(6, {"a": 0, "b": 0, "c": 0}, minimum=2) == {"a": 2, "b": 2, "c": 2}
    assert largest_remainder(0, {"a": 0, "b": 0}) == {"a": 0, "b": 0}


@pytest.mark.parametrize(
    ("capacity", "members", "minimum", "code"),
    [
        (5, {}, 0, "quota_no_units"),
        (5, {"a": 3, "b": -1}, 0, "quota_negative"),
        (5, {"a": 3, "b": 1}, -1, "quota_negative"),
    ],
)
def test_largest_remainder_refuses_bad_input(capacity, members, minimum, code):
    with pytest.raises(QuotaProblem) as caught:
        largest_remainder(capacity, members, minimum)
    assert caught.value.code == code


def test_equal_remainders_go_to_the_unit_with_more_members():
    # 2 places, members 1 and 3: exact shares .5 and 1.5, both remainders one half.
    assert largest_remainder(2, {"a": 1, "b": 3}) == {"a": 0, "b": 2}
    assert largest_remainder(2, {"b": 3, "a": 1}) == {"a": 0, "b": 2}


def test_equal_remainders_and_members_go_by_unit_id():
    assert largest_remainder(1, {"c": 1, "b": 1, "a": 1}) == {"a": 1, "b": 0, "c": 0}
    assert largest_remainder(2, {"c": 1, "a": 1, "b": 1}) == {"a": 1, "b": 1, "c": 0}
    # Whatever order the units are listed in.
    units = ["u07", "u03", "u11", "u01", "u05"]
    expected = largest_remainder(3, dict.fromkeys(units, 4))
    assert expected == {"u01": 1, "u03": 1, "u05": 1, "u07": 0, "u11": 0}
    shuffler = random.Random(3)
    for _ in range(10):
        shuffler.shuffle(units)
        assert largest_remainder(3, dict.fromkeys(units, 4)) == expected


def test_remainders_are_compared_exactly():
    # 1/3 of 3 places is exactly 1 place each: no unit may get a second one from a rounding error.
    assert largest_remainder(3, {"a": 1, "b": 1, "c": 1}) == {"a": 1, "b": 1, "c": 1}
    # 7 places by 3 / 3 / 1: 3, 3 and 1 exactly.
    assert largest_remainder(7, {"a": 30, "b": 30, "c": 10}) == {"a": 3, "b": 3, "c": 1}
    # Remainders 100/301 and 101/301 ... differ by 1/301 only and must still be ordered right.
    assert largest_remainder(1, {"a": 100, "b": 101, "c": 100}) == {"a": 0, "b": 1, "c": 0}
    # Exact shares 2.3, .3, 5.2 and 2.2: a and b tie at .3 for the one place left, and a has more members. In
    # floating point 2.3 - 2 is 0.2999999999999998 and the place would wrongly go to b.
    assert largest_remainder(10, {"a": 23, "b": 3, "c": 52, "d": 22}) == {"a": 3, "b": 0, "c": 5, "d": 2}


def test_largest_remainder_properties_over_random_inputs():
    rng = random.Random(20260101)
    checked = 0
    for _ in range(2000):
        count = rng.randint(1, 9)
        members = {f"u{n:02d}": rng.choice((0, rng.randint(0, 5), rng.randint(0, 400))) for n in range(count)}
        capacity = rng.randint(0, 120)
        minimum = rng.randint(0, 3)
        if minimum * count > capacity:
            with pytest.raises(QuotaProblem):
                largest_remainder(capacity, members, minimum)
            continue
        left = capacity - minimum * count
        total = sum(members.values())
        if total == 0 and left:
            with pytest.raises(QuotaProblem):
                largest_remainder(capacity, members, minimum)
            continue
        quotas = largest_remainder(capacity, members, minimum)
        checked += 1
        assert set(quotas) == set(members)
        assert sum(quotas.values()) == capacity
        for unit, quota in quotas.items():
            assert quota >= minimum
            exact = Fraction(left * members[unit], total) if total else Fraction(0)
            assert abs(quota - minimum - exact) < 1, (capacity, members, minimum, quotas)
        # More members never means fewer places.
        for unit in members:
            for other in members:
                if members[unit] > members[other]:
                    assert quotas[unit] >= quotas[other], (capacity, members, minimum, quotas)
        # The same whatever order the units come in.
        assert largest_remainder(capacity, dict(reversed(members.items())), minimum) == quotas
    assert checked > 1000  # the loop really tested something


# ---------------------------------------------------------------- release date


def test_quotas_bind_until_the_release_date():
    release = datetime(2026, 11, 1, 9, tzinfo=CHINA_TZ)
    assert quotas_bind(release, release - timedelta(microseconds=1)) is True
    assert quotas_bind(release, release - timedelta(days=30)) is True
    assert quotas_bind(release, release) is False
    assert quotas_bind(release, release + timedelta(days=1)) is False


def test_quotas_without_a_release_date_always_bind():
    assert quotas_bind(None, datetime(2099, 1, 1, tzinfo=CHINA_TZ)) is True
    assert quotas_bind(None, datetime(2000, 1, 1, tzinfo=CHINA_TZ)) is True
