"""Codes a photo cannot reuse (chalicelib.domain.checkin_codes): the venue pass, live tickets and the location check.

The live-ticket cases in tests/js/checkin_codes.json are checked here against the Python rules and in
tests/js/checkin_codes.test.js against the station's script, so that the two cannot drift apart."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chalicelib.domain.checkin import VenueCode, Verdict, ticket_from_code
from chalicelib.domain.checkin_codes import (
    LIVE_STEP_SECONDS,
    VENUE_PASS_SECONDS,
    Position,
    distance_m,
    live_code,
    live_key,
    live_mac,
    live_part,
    live_verdict,
    location_verdict,
    venue_pass,
    venue_pass_opened,
)
from chalicelib.domain.records import CheckinSettings

CASES = json.loads((Path(__file__).parents[1] / "js" / "checkin_codes.json").read_text(encoding="utf-8"))["live"]
KEY = b"k" * 32
AT = datetime.fromtimestamp(1_800_000_000, tz=UTC)

# ---- live tickets ------------------------------------------------------------------------------------------------


def test_the_shared_live_cases_are_the_python_rules():
    assert len(CASES["cases"]) >= 15 and CASES["step_seconds"] == LIVE_STEP_SECONDS
    for case in CASES["macs"]:
        assert live_mac(case["key"], case["ticket"], case["step"]) == case["mac"]
    for case in CASES["cases"]:
        verdict = live_verdict(CASES["key"], CASES["ticket"], case["code"], datetime.fromtimestamp(case["at"], UTC))
        assert (verdict.value if verdict else None) == case["verdict"], case
    verdicts = {case["verdict"] for case in CASES["cases"]}
    assert verdicts == {None, "ticket_stale", "unknown"}  # every answer is tried


def test_a_live_code_is_the_ticket_url_with_its_step_and_changes_every_30_seconds():
    ticket = "m2k7q4zx5w6v3u2t7s6r5q4p3o"
    key = live_key(KEY, ticket)
    code = live_code("https://u.example/", ticket, key, AT)
    assert code.startswith(f"https://u.example/t/{ticket}?r=")
    assert ticket_from_code(code) == ticket  # a station that knows nothing of live codes still finds the ticket
    assert code == live_code("https://u.example", ticket, key, AT + timedelta(seconds=29))
    assert code != live_code("https://u.example", ticket, key, AT + timedelta(seconds=30))
    assert live_verdict(key, ticket, code, AT + timedelta(seconds=34)) is None
    assert live_verdict(key, ticket, code, AT + timedelta(seconds=35)) is Verdict.TICKET_STALE
    assert live_part(code) == (1_800_000_000 // 30, live_mac(key, ticket, 1_800_000_000 // 30))


def test_live_keys_are_per_ticket_and_secret():
    one, two = live_key(KEY, "a" * 26), live_key(KEY, "b" * 26)
    assert one != two and len(one) == 32
    assert live_key(b"other secret", "a" * 26) != one  # not a function of the ticket alone
    # One ticket's key does not make another ticket's codes.
    code = live_code("https://u.example", "b" * 26, one, AT)
    assert live_verdict(two, "b" * 26, code, AT) is Verdict.UNKNOWN


# ---- the venue pass ----------------------------------------------------------------------------------------------


def test_a_venue_pass_names_the_member_and_the_moment_they_opened_the_code():
    venue = VenueCode("ev-1", "s01", 60_000_000)
    issued = venue_pass(KEY, "2014001", venue, AT)
    assert venue_pass_opened(KEY, issued, "2014001", venue, AT + timedelta(seconds=90)) == AT
    assert venue_pass_opened(KEY, issued, "2014001", venue, AT + timedelta(seconds=VENUE_PASS_SECONDS + 1)) is None
    assert venue_pass_opened(KEY, issued, "2014002", venue, AT) is None  # passed to a friend
    assert venue_pass_opened(KEY, issued, "2014001", venue._replace(step=60_000_001), AT) is None
    assert venue_pass_opened(KEY, issued, "2014001", venue, AT - timedelta(seconds=1)) is None  # from the future
    moment, mac = issued.split(".")
    assert venue_pass_opened(KEY, f"{int(moment) + 60}.{mac}", "2014001", venue, AT + timedelta(seconds=90)) is None
    assert venue_pass_opened(KEY, "", "2014001", venue, AT) is None
    assert venue_pass_opened(b"x" * 32, issued, "2014001", venue, AT) is None


# ---- the location check ------------------------------------------------------------------------------------------

# The library of Sun Yat-sen University's east campus and two places around it (positions as a phone gives them).
LIBRARY = (23.0662, 113.3893)


@pytest.mark.parametrize(
    ("lat1", "lng1", "lat2", "lng2", "metres"),
    [
        (0, 0, 0, 0, 0),
        (0, 0, 0, 1, 111_195),  # a degree of longitude on the equator
        (0, 0, 1, 0, 111_195),  # a degree of latitude
        (51.5007, -0.1246, 40.6892, -74.0445, 5_574_840),  # Big Ben to the Statue of Liberty (to 0.5 %)
        (39.9042, 116.4074, 31.2304, 121.4737, 1_067_960),  # Beijing to Shanghai
        (89.9, 0, 89.9, 180, 22_239),  # over the pole
        (0, 179.9, 0, -179.9, 22_239),  # across the date line
    ],
)
def test_haversine_distances(lat1, lng1, lat2, lng2, metres):
    assert distance_m(lat1, lng1, lat2, lng2) == pytest.approx(metres, rel=0.005, abs=1)
    assert distance_m(lat2, lng2, lat1, lng1) == pytest.approx(distance_m(lat1, lng1, lat2, lng2))


def test_the_location_check_is_off_unless_turned_on_with_a_position():
    assert location_verdict(CheckinSettings(), None) == (None, None)
    assert location_verdict(CheckinSettings(location_check=True), None) == (None, None)  # no venue: nothing to check


def test_the_location_check():
    settings = CheckinSettings(location_check=True, venue_lat=LIBRARY[0], venue_lng=LIBRARY[1], venue_radius_m=100)
    assert location_verdict(settings, None) == (Verdict.LOCATION_NEEDED, None)
    assert location_verdict(settings, None, "unavailable") == (Verdict.LOCATION_NEEDED, None)
    assert location_verdict(settings, None, "denied") == (Verdict.LOCATION_DENIED, None)
    assert location_verdict(settings, Position(*LIBRARY, 10)) == (None, 0)
    near = Position(LIBRARY[0] + 0.0008, LIBRARY[1], 20)  # about 89 m north
    assert location_verdict(settings, near) == (None, 89)
    far = Position(LIBRARY[0] + 0.0027, LIBRARY[1], 20)  # about 300 m
    assert location_verdict(settings, far) == (Verdict.TOO_FAR, 300)
    # A poor indoor fix is given up to 100 m of its accuracy, never more.
    assert location_verdict(settings, far._replace(accuracy_m=250))[0] is Verdict.TOO_FAR
    assert location_verdict(settings, Position(LIBRARY[0] + 0.0014, LIBRARY[1], 60)) == (None, 156)
    assert location_verdict(settings, Position(LIBRARY[0] + 0.0017, LIBRARY[1], 5000))[0] is None  # 189 m
    assert location_verdict(settings, Position(LIBRARY[0] + 0.0017, LIBRARY[1], -5))[0] is Verdict.TOO_FAR
    assert location_verdict(settings, Position(LIBRARY[0] + 0.0020, LIBRARY[1], 5000))[0] is Verdict.TOO_FAR  # 222 m
