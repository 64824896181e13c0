"""The sign-in throttle's policy (chalicelib.domain.throttle) and the session list helpers, as pure functions."""

import itertools

import pytest

from chalicelib.domain.throttle import (
    ADDRESS,
    PAIR,
    UNFAMILIAR,
    Attempt,
    Counter,
    Limit,
    address_key,
    attempts_per_window,
    retry_after,
    wait_for,
)
from chalicelib.domain.tokens import (
    TokenInvalid,
    issue_device_token,
    issue_session_token,
    session_entry,
    sessions_to_drop,
    verify_device_token,
    verify_session_token,
)

KEY = b"k" * 32
NOW = 1_800_000_000


def test_free_failures_cost_nothing_then_delays_double_up_to_the_cap():
    limit = Limit("t", window_seconds=86400, free=3, base_seconds=2, cap_seconds=20)
    assert [limit.delay_after(n) for n in range(8)] == [0, 0, 0, 2, 4, 8, 16, 20]
    assert limit.delay_after(10_000) == 20  # no overflow, no huge powers


def test_delays_grow_with_every_failure_for_each_counter():
    for limit in (PAIR, UNFAMILIAR, ADDRESS):
        delays = [limit.delay_after(n) for n in range(limit.free, limit.free + 30)]
        assert delays[0] == limit.base_seconds > 0
        assert all(a < b or a == b == limit.cap_seconds for a, b in itertools.pairwise(delays))
        assert delays[-1] == limit.cap_seconds


def test_wait_counts_from_the_last_failure():
    counter = Counter(failures=PAIR.free + 2, last_at=NOW)
    delay = PAIR.delay_after(counter.failures)
    assert wait_for(PAIR, counter, NOW) == delay
    assert wait_for(PAIR, counter, NOW + delay - 1) == 1
    assert wait_for(PAIR, counter, NOW + delay) == 0
    assert wait_for(PAIR, Counter(), NOW) == 0
    assert wait_for(PAIR, Counter(failures=1, last_at=NOW + 5), NOW) == 0  # free failures never wait


def test_unfamiliar_failures_do_not_delay_a_familiar_source():
    flooded = Counter(failures=500, last_at=NOW)
    stranger = Attempt(pair=Counter(), unfamiliar=flooded, address=Counter())
    owner = Attempt(pair=Counter(), unfamiliar=None, address=Counter())
    assert retry_after(stranger, NOW) == UNFAMILIAR.cap_seconds
    assert retry_after(owner, NOW) == 0


def test_a_known_device_skips_the_address_cap_but_not_its_own_pair():
    busy_nat = Counter(failures=10_000, last_at=NOW)
    assert retry_after(Attempt(Counter(), None, busy_nat), NOW) == ADDRESS.cap_seconds
    assert retry_after(Attempt(Counter(), None, None), NOW) == 0
    own_typos = Counter(failures=PAIR.free, last_at=NOW)
    assert retry_after(Attempt(own_typos, None, None), NOW) == PAIR.base_seconds


def test_the_address_cap_never_makes_anyone_wait_more_than_a_minute():
    assert ADDRESS.cap_seconds <= 60 and ADDRESS.free >= 100


def test_guesses_per_day_stay_small():
    # The figures quoted in docs/security.md ("Sign-in throttling").
    assert attempts_per_window(UNFAMILIAR) == 42
    assert attempts_per_window(PAIR) == 38
    assert attempts_per_window(ADDRESS) * (86400 // ADDRESS.window_seconds) == 163 * 24


def test_started_delaying_marks_exactly_one_failure_per_window():
    assert [n for n in range(50) if UNFAMILIAR.started_delaying(n)] == [UNFAMILIAR.free]


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("10.0.0.1", "10.0.0.1"),
        (" 10.0.0.1 ", "10.0.0.1"),
        ("::ffff:10.0.0.1", "10.0.0.1"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),  # one subscriber's /64 is one address
        ("not an address", "unknown"),
        ("", "unknown"),
    ],
)
def test_address_key(address, key):
    assert address_key(address) == key


def test_session_tokens_carry_their_session_id():
    token = issue_session_token("T2001", 3, KEY, NOW, 3600, "abc")
    claims = verify_session_token(token, KEY, NOW)
    assert claims.session_id == "abc" and claims.expires_at == NOW + 3600
    assert verify_session_token(issue_session_token("T2001", 3, KEY, NOW, 3600), KEY, NOW).session_id is None


def test_session_list_drops_expired_entries_and_the_oldest_beyond_the_cap():
    entries = {session_entry(f"s{i}", NOW + i * 10) for i in range(-2, 6)}
    dropped = sessions_to_drop(entries, NOW, keep=3)
    assert dropped == {session_entry(f"s{i}", NOW + i * 10) for i in (-2, -1, 0, 1, 2)}
    assert sessions_to_drop({session_entry("x", NOW + 5)}, NOW, keep=20) == set()
    assert session_entry("x", 5) < session_entry("y", 40)  # zero-padded: the list sorts by expiry


def test_device_tokens_remember_recent_accounts_and_cannot_pass_for_a_session():
    token = issue_device_token("dev1", ("A1", "B2", "C3", "D4", "E5", "F6"), KEY, NOW, 3600)
    claims = verify_device_token(token, KEY, NOW)
    assert claims.device_id == "dev1" and claims.staff_nos == ("B2", "C3", "D4", "E5", "F6")
    with pytest.raises(TokenInvalid):
        verify_session_token(token, KEY, NOW)
    with pytest.raises(TokenInvalid):
        verify_device_token(issue_session_token("A1", 1, KEY, NOW, 3600, "s"), KEY, NOW)
    with pytest.raises(TokenInvalid):
        verify_device_token(token, KEY, NOW + 3600)
    with pytest.raises(TokenInvalid):
        verify_device_token(token, b"j" * 32, NOW)
