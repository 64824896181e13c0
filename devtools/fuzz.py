"""Fuzz the JSON API with schemathesis from its own OpenAPI document, as each demo role and signed out.

    python -m devtools.fuzz                         # what `make test` runs: fixed seed, bounded examples
    python -m devtools.fuzz --max-examples 30 --seed 7 --keep   # longer, another seed, keep logs and reports

It starts a throwaway DynamoDB Local (in memory) and loads the demo union, serves the app with the dev server
(devtools/devserver.py, as `make run` does) on a free port, signs in once as the union admin, a unit admin and a
member, then runs schemathesis against /api/openapi.json once per role. Checks: no server error (5xx) and every
response conforms to the document (documented status, content type, body schema). Path ids come from the demo
union most of the time (so the fuzz reaches real events, units and members, not only 404s) and are random
otherwise. Exit status 1 on any failure; a summary with numbers is printed either way.

The demo accounts cannot be locked out or signed out under the fuzz: the signed-in roles never call sign-in,
activation, sign-out or the password change; those run last, signed out and then as the member, when no later
run needs the tokens. The database is thrown away afterwards, so destructive operations are welcome.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from devtools import dynamodb_local

ROOT = Path(__file__).resolve().parent.parent
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
# Routes that would end or lock the sessions the later runs sign in with; they run last (see module docstring).
SESSION_ROUTES = r"^/api/(auth/|me/password$)"
COMPETITION_EVENTS = "competition_event_id"  # the ids of events with a competition, for /competition routes


@dataclass(frozen=True)
class Run:
    """One schemathesis run: who calls, and which operations (a path regex to include or exclude)."""

    name: str
    account: str | None  # fragment of the demo account's role, None when signed out
    include_path: str | None = None
    exclude_path: str | None = None


RUNS = (
    Run("member", "member", exclude_path=SESSION_ROUTES),
    Run("unit admin", "计算机学院)", exclude_path=SESSION_ROUTES),
    Run("union admin", "union admin", exclude_path=SESSION_ROUTES),
    Run("signed out", None),
    Run("member: sign-in, password, sign-out", "member", include_path=SESSION_ROUTES),
)


@dataclass
class Outcome:
    run: Run
    seconds: float
    exit_code: int
    operations: int = 0
    cases: int = 0
    failures: list[str] = field(default_factory=list)


def _env(endpoint: str) -> dict[str, str]:
    return {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "cn-north-1",
        "APP_STAGE": "test",
        "TABLE_PREFIX": "union-events-fuzz-",
        "DYNAMODB_ENDPOINT": endpoint,
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _seed(endpoint: str) -> dict[str, list[str]]:
    """Create the tables and load the demo union through the services (about a minute); returns the ids the fuzz
    should use for each path parameter."""
    os.environ.update(_env(endpoint))
    from chalicelib.domain.calendar import now
    from chalicelib.settings import get_settings
    from chalicelib.storage import get_store
    from devtools.demo.loader import load_demo
    from devtools.demo.union import read_union
    from devtools.tables import ensure_tables

    ensure_tables(get_settings())
    today = now().date()
    store = get_store()
    union = read_union(store, load_demo(store, get_settings(), today), today)
    sessions = [session for event in union.events for session in store.sessions.for_event(event.event_id)]
    accounts = {account.staff_no for account in union.accounts}
    contests = [contest.setup for contest in union.competitions]
    ids: dict[str, list[str]] = {
        "event_id": [event.event_id for event in union.events],
        "unit_id": [unit.unit_id for unit in union.units],
        # Members other than the demo accounts, so that an admin run cannot make a later run's caller unusable
        # (e.g. mark the signed-in member as left or take a unit admin's rights away).
        "staff_no": [member.staff_no for member in union.members if member.staff_no not in accounts][:40],
        "team_id": [team.team_id for team in union.teams],
        "scope": ["series", *[session.session_id for session in sessions][:10]],
        "stage_id": sorted({stage.stage_id for setup in contests for stage in setup.stages}),
        "match_id": sorted({match.match_id for contest in union.competitions for _, _, match in contest.matches})[:40],
        "entry_id": sorted({entry for contest in union.competitions for _, entry, _, _ in contest.marks})[:40],
        "discipline": sorted({d for contest in union.competitions for _, d, _, _ in contest.performances}),
        "role": ["referee", "judge", "checkin"],
        # The years the demo has numbers for (issue 21: the dashboard, a member's year): last year and this year.
        "year": [str(today.year), str(today.year - 1)],
        # A competition's stages, matches and entries belong to its event: pair them with competition events.
        "competition_event_id": [setup.event_id for setup in contests],
    }
    return {name: values for name, values in ids.items() if values}


def _accounts() -> dict[str, tuple[str, str]]:
    from chalicelib.domain.calendar import now
    from devtools.demo.loader import read_organisation

    return {a.role: (a.staff_no, a.password) for a in read_organisation(now().date()).accounts}


def _request(url: str, body: dict | None = None, timeout: float = 10) -> tuple[int, bytes]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextlib.contextmanager
def _dev_server(endpoint: str, log_path: Path) -> Iterator[str]:
    port = dynamodb_local.free_port()
    code = (
        "import sys; from devtools.devserver import create_server; "
        f"create_server('127.0.0.1', {port}, stage='test').serve_forever()"
    )
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=_env(endpoint),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise dynamodb_local.LauncherError(f"the dev server exited with {process.returncode}; see {log_path}")
            with contextlib.suppress(OSError):
                if _request(base_url + "/api/health", timeout=2)[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise dynamodb_local.LauncherError(f"the dev server did not answer within 60 s; see {log_path}")
            time.sleep(0.2)
        yield base_url
    finally:
        dynamodb_local.stop_process_group(process)


def _sign_in(base_url: str, staff_no: str, password: str) -> str:
    status, body = _request(base_url + "/api/auth/sign-in", {"staff_no": staff_no, "password": password})
    if status != 200:
        raise dynamodb_local.LauncherError(f"signing in as {staff_no} answered {status}: {body[:300]!r}")
    return json.loads(body)["token"]


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _config(ids: dict[str, list[str]], probability: float) -> str:
    lines = []
    for name, values in ids.items():
        lines.append(f"[dictionaries.{name}]")
        lines.append("values = [" + ", ".join(_toml_string(v) for v in values) + "]")
    lines.append("[parameters]")
    for name in ids:
        if name != COMPETITION_EVENTS:
            lines.append(f'"path.{name}" = {{ dictionary = "{name}", probability = {probability} }}')
    if COMPETITION_EVENTS in ids:
        lines += [
            "[[operations]]",
            'include-path-regex = "/competition"',
            "[operations.parameters]",
            f'"path.event_id" = {{ dictionary = "{COMPETITION_EVENTS}", probability = {probability} }}',
        ]
    return "\n".join(lines) + "\n"


def _read_report(report: Path, log: Path) -> tuple[int, int, list[str]]:
    """Operations, generated test cases and failures of one run: failures from schemathesis' ndjson events, the
    number of cases from its summary (the event stream records only the cases it keeps)."""
    operations, failures = set(), []
    if report.exists():
        for line in report.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError):
                payload = json.loads(line).get("ScenarioFinished")
                if isinstance(payload, dict):
                    operations.add(payload["recorder"]["label"])
                    failures += _failures(payload["recorder"])
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    generated = re.search(r"^\s*(\d+) generated", text, re.MULTILINE)
    return len(operations), int(generated.group(1)) if generated else 0, failures


def _failures(recorder: dict) -> list[str]:
    found = []
    for case_id, checks in (recorder.get("checks") or {}).items():
        case = ((recorder.get("cases") or {}).get(case_id) or {}).get("value") or {}
        for check in checks:
            if check.get("status") != "failure":
                continue
            failure = (check.get("failure_info") or {}).get("failure") or {}
            message = " ".join((failure.get("message") or "").split())[:160]
            what = " ".join(part for part in (failure.get("title") or check.get("name"), message) if part)
            where = f"{case.get('method', '?')} {case.get('path', recorder.get('label'))}"
            found.append(f"{where}: {what} (case {case_id})")
    return found


def _schemathesis(
    base_url: str, run: Run, token: str | None, args: argparse.Namespace, workdir: Path, config: Path
) -> Outcome:
    slug = run.name.split(":")[0].replace(" ", "-")
    stem = slug + ("-session" if run.include_path else "")
    report, log = workdir / f"{stem}.ndjson", workdir / f"{stem}.log"
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(config),
        "--no-color",
        "run",
        base_url + "/api/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        str(args.max_examples),
        "--seed",
        str(args.seed),
        "--workers",
        str(args.workers),
        "--phases",
        "coverage,fuzzing" if args.coverage else "fuzzing",
        "--generation-database",
        "none",
        "--request-timeout",
        "10",
        "--suppress-health-check",
        "all",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        "--output-truncate",
        "true",
    ]
    if not args.shrink:
        command.append("--no-shrink")
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    if run.include_path:
        command += ["--include-path-regex", run.include_path]
    if run.exclude_path:
        command += ["--exclude-path-regex", run.exclude_path]
    started = time.monotonic()
    with open(log, "wb") as out:
        try:
            exit_code = subprocess.run(
                command, cwd=workdir, stdout=out, stderr=subprocess.STDOUT, timeout=args.max_time, check=False
            ).returncode
        except subprocess.TimeoutExpired:
            exit_code = -1
    outcome = Outcome(run, time.monotonic() - started, exit_code)
    if exit_code == -1:
        outcome.failures.append(f"took longer than {args.max_time} s (--max-time); see {log}")
    operations, cases, failures = _read_report(report, log)
    outcome.operations, outcome.cases, outcome.failures = operations, cases, outcome.failures + failures
    if exit_code != 0 and not outcome.failures:
        outcome.failures.append(f"schemathesis exited {exit_code}; see {log}")
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=15, help="hypothesis seed (default 15: the same cases every run)")
    parser.add_argument("--max-examples", type=int, default=6, help="test cases per operation and run (default 6)")
    parser.add_argument("--max-time", type=int, default=60, help="a run taking longer fails (default 60 s)")
    parser.add_argument("--workers", type=int, default=2, help="concurrent schemathesis workers (default 2)")
    parser.add_argument("--coverage", action="store_true", help="also run schemathesis' coverage phase (slower)")
    parser.add_argument("--shrink", action="store_true", help="shrink failing cases (slower, clearer reports)")
    parser.add_argument("--known-ids", type=float, default=0.8, help="share of path ids taken from the demo union")
    parser.add_argument("--only", help="run only the runs whose name contains this text")
    parser.add_argument("--keep", action="store_true", help="keep the logs and reports (printed at the end)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="union-events-fuzz-"))
    outcomes: list[Outcome] = []
    try:
        with dynamodb_local.running(dynamodb_local.free_port()) as database:
            ids = _seed(database.endpoint)
            config = workdir / "schemathesis.toml"
            config.write_text(_config(ids, args.known_ids), encoding="utf-8")
            accounts = _accounts()
            with _dev_server(database.endpoint, workdir / "devserver.log") as base_url:
                tokens = {}
                for run in RUNS:
                    if run.account and run.account not in tokens:
                        role = next(role for role in accounts if run.account in role)
                        tokens[run.account] = _sign_in(base_url, *accounts[role])
                print(f"fuzz: demo union loaded and {len(tokens)} roles signed in ({time.monotonic() - started:.1f}s)")
                for run in RUNS:
                    if args.only and args.only not in run.name:
                        continue
                    token = tokens.get(run.account) if run.account else None
                    outcome = _schemathesis(base_url, run, token, args, workdir, config)
                    outcomes.append(outcome)
                    print(
                        f"  {run.name:<38} {outcome.operations:>3} operations {outcome.cases:>5} cases "
                        f"{len(outcome.failures):>3} failures  {outcome.seconds:5.1f}s",
                        flush=True,
                    )
    except dynamodb_local.LauncherError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    failures = [(outcome.run.name, failure) for outcome in outcomes for failure in outcome.failures]
    total_cases = sum(outcome.cases for outcome in outcomes)
    for name, failure in failures:
        print(f"  FAIL [{name}] {failure}")
    print(
        f"fuzz: {len(outcomes)} runs, {total_cases} cases, {len(failures)} failures in "
        f"{time.monotonic() - started:.1f}s (seed {args.seed}, {args.max_examples} examples per operation)"
    )
    if failures or args.keep:
        print(f"fuzz: logs and reports in {workdir} (schemathesis output: <run>.log, server: devserver.log)")
    else:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
