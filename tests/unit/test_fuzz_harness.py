"""The fuzz stage of `make test` (devtools/fuzz.py): it cannot lock out or sign out the demo accounts it runs as,
its schemathesis configuration is valid TOML, and failures in schemathesis' report are all listed."""

import tomllib

from devtools import fuzz


def test_session_routes_run_only_after_every_signed_in_run():
    session_runs = [i for i, run in enumerate(fuzz.RUNS) if run.exclude_path != fuzz.SESSION_ROUTES]
    signed_in = [i for i, run in enumerate(fuzz.RUNS) if run.account and run.exclude_path == fuzz.SESSION_ROUTES]
    assert {fuzz.RUNS[i].name for i in signed_in} == {"member", "unit admin", "union admin"}
    assert min(session_runs) > max(signed_in)


def test_session_pattern_covers_sign_in_sign_out_activation_and_password():
    import re

    pattern = re.compile(fuzz.SESSION_ROUTES)
    for path in ("/api/auth/sign-in", "/api/auth/sign-out", "/api/auth/activate", "/api/me/password"):
        assert pattern.search(path), path
    for path in ("/api/me", "/api/me/registrations", "/api/events"):
        assert not pattern.search(path), path


def test_config_is_toml_binding_path_ids_to_demo_ids():
    ids = {"event_id": ["ev-1", 'odd"id'], "staff_no": ["2017004"]}
    config = tomllib.loads(fuzz._config(ids, 0.8))
    assert config["dictionaries"]["event_id"]["values"] == ["ev-1", 'odd"id']
    assert config["parameters"]["path.staff_no"] == {"dictionary": "staff_no", "probability": 0.8}


def test_competition_routes_take_events_that_have_a_competition():
    config = tomllib.loads(fuzz._config({"event_id": ["ev-1"], fuzz.COMPETITION_EVENTS: ["ev-cup"]}, 0.8))
    assert f"path.{fuzz.COMPETITION_EVENTS}" not in config["parameters"]
    [operations] = config["operations"]
    assert operations["include-path-regex"] == "/competition"
    assert operations["parameters"]["path.event_id"]["dictionary"] == fuzz.COMPETITION_EVENTS


def test_every_failed_check_of_a_report_is_listed():
    recorder = {
        "label": "POST /api/roster/imports",
        "cases": {"a": {"value": {"method": "POST", "path": "/api/roster/imports"}}},
        "checks": {
            "a": [
                {"name": "not_a_server_error", "status": "success"},
                {
                    "name": "status_code_conformance",
                    "status": "failure",
                    "failure_info": {"failure": {"title": "Undocumented status code", "message": "Received: 415"}},
                },
                {"name": "not_a_server_error", "status": "failure", "failure_info": {"failure": {}}},
            ]
        },
    }
    assert fuzz._failures(recorder) == [
        "POST /api/roster/imports: Undocumented status code Received: 415 (case a)",
        "POST /api/roster/imports: not_a_server_error (case a)",
    ]
