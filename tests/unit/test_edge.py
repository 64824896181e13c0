"""The edge checks' pure parts: the nesting scan, the strict JSON reader, body limits and origin comparison."""

import json
from types import SimpleNamespace

import pytest

from chalicelib.errors import BadRequest
from chalicelib.http.edge import (
    MAX_BODY_BYTES,
    MAX_JSON_DEPTH,
    MAX_UPLOAD_BYTES,
    body_limit,
    check_route_path,
    from_own_site,
    json_depth_exceeds,
    load_json,
)


@pytest.mark.parametrize(
    ("raw", "too_deep"),
    [
        (b"[" * 33 + b"]" * 33, True),
        (b"[" * 32 + b"]" * 32, False),
        (b"[" * 50_000, True),  # unterminated: the scan does not need a valid text
        (b'{"a":' * 33 + b"1" + b"}" * 33, True),
        (json.dumps({"k": "[" * 100}).encode(), False),  # brackets inside a string mean nothing
        (json.dumps({"[" * 100: 1}).encode(), False),  # nor inside a key
        (json.dumps(['\\"[[[[' * 50]).encode(), False),  # escaped quotes do not end the string
        (b'["\\\\"' + b"[" * 40, True),  # an escaped backslash does not escape the closing quote
        (b'"' + b"[" * 40, True),  # an unterminated string is no string: its brackets count (a 400 either way)
        (json.dumps([[i, i] for i in range(10_000)]).encode(), False),  # wide is fine
    ],
)
def test_nesting_scan(raw, too_deep):
    assert json_depth_exceeds(raw, MAX_JSON_DEPTH) is too_deep


def test_the_scan_agrees_with_the_parser_on_valid_json():
    for depth in range(1, 40):
        raw = ('{"a": ' * depth + "[]" + "}" * depth).encode()
        assert json_depth_exceeds(raw) is (depth + 1 > MAX_JSON_DEPTH)


def test_strict_reader_refuses_duplicates_constants_and_depth():
    assert load_json(b'{"a": [1, {"b": 2}]}') == {"a": [1, {"b": 2}]}
    for raw, code in [
        (b'{"a": 1, "a": 2}', "duplicate_json_key"),
        (b'[{"x": {"y": 1, "y": 1}}]', "duplicate_json_key"),
        (b"[NaN]", "invalid_json"),
        (b"-Infinity", "invalid_json"),
        (b"9" * 5000, "invalid_json"),
        (b"\xff\xfe", "invalid_json"),
        (b"[" * 1000, "json_too_deep"),
    ]:
        with pytest.raises(BadRequest) as refused:
            load_json(raw)
        assert refused.value.code == code, raw[:20]


def test_a_long_duplicate_key_is_shortened_in_the_message():
    key = "k" * 5000
    with pytest.raises(BadRequest) as refused:
        load_json(json.dumps({key: 1}).encode()[:-1] + b', "' + key.encode() + b'": 2}')
    assert refused.value.details == {"key": "k" * 40 + "…"}


def test_body_limits_by_content_type():
    assert body_limit("application/json; charset=utf-8") == MAX_BODY_BYTES
    assert body_limit("application/x-www-form-urlencoded") == MAX_BODY_BYTES
    assert body_limit(None) == MAX_BODY_BYTES
    assert body_limit("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") == MAX_UPLOAD_BYTES
    assert body_limit("multipart/form-data; boundary=x") == MAX_UPLOAD_BYTES


def _request(**headers):
    return SimpleNamespace(headers={key.lower(): value for key, value in headers.items()})


@pytest.mark.parametrize(
    ("origin", "host", "same"),
    [
        ("https://union.example.edu.cn", "union.example.edu.cn", True),
        ("https://UNION.example.edu.cn", "union.example.edu.cn", True),
        ("https://union.example.edu.cn", "union.example.edu.cn:443", True),
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("https://union.example.edu.cn/some/page?x=1", "union.example.edu.cn", True),  # a Referer
        ("https://clubs.example.edu.cn", "union.example.edu.cn", False),
        ("https://union.example.edu.cn.evil.example", "union.example.edu.cn", False),
        ("https://union.example.edu.cn:8443", "union.example.edu.cn", False),
        ("null", "union.example.edu.cn", False),
        ("ftp://union.example.edu.cn", "union.example.edu.cn", False),
        ("https://union.example.edu.cn", "", False),
        ("https://[::1", "union.example.edu.cn", False),  # unparseable
    ],
)
def test_origin_comparison_with_the_host(origin, host, same):
    assert from_own_site(_request(Host=host), origin) is same


def test_route_paths_name_only_known_id_kinds():
    check_route_path("/events/{event_id}/teams/{team_id}")
    with pytest.raises(ValueError, match="event"):
        check_route_path("/events/{event}")


def test_path_ids_match_whole_values_only():
    from chalicelib.http.edge import valid_path_id

    assert valid_path_id("event_id", "ev-01ABC")
    assert not valid_path_id("event_id", "ev-01ABC\n")  # "$" alone would let a trailing newline through
    assert not valid_path_id("scope", "series\n")
    assert not valid_path_id("event_id", "e" * 41)
    assert not valid_path_id("no_such_kind", "x")
