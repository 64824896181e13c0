"""The cases the station script is tested on in node (tests/js/checkin_codes.json) are what the server reads.

The station verifies scans offline with its own copy of two rules of chalicelib.domain.checkin: which ticket a
scanned code holds, and the digest the offline list keeps of it. tests/js/checkin_station.test.js checks the script
against this file; this test checks the file against the Python rules, so the two cannot drift apart."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from chalicelib.domain.checkin import MAX_CODE_CHARS, ticket_digest, ticket_from_code

CASES = json.loads((Path(__file__).parents[1] / "js" / "checkin_codes.json").read_text(encoding="utf-8"))


def test_each_code_reads_as_the_listed_ticket():
    assert len(CASES["codes"]) >= 20
    for case in CASES["codes"]:
        assert ticket_from_code(case["code"]) == case["ticket"], case["code"]
    read = [case for case in CASES["codes"] if case["ticket"]]
    assert len(read) >= 8 and len(CASES["codes"]) - len(read) >= 8  # both kinds, many ways each
    lengths = {len(case["code"]): case["ticket"] for case in CASES["codes"]}
    assert lengths[MAX_CODE_CHARS] and lengths[MAX_CODE_CHARS + 1] is None  # the length limit, on both sides


def test_each_digest_is_the_offline_lists_digest():
    assert len(CASES["digests"]) >= 3
    for case in CASES["digests"]:
        assert ticket_digest(case["ticket"]) == case["digest"]
        assert case["digest"] == hashlib.sha256(case["ticket"].encode()).hexdigest()[:32]
