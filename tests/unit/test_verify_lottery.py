"""``python -m devtools.verify_lottery``: the command members run on a published draw, as they would run it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib.domain.lottery import Applicant, commitment, published_draw, run_draw

ROOT = Path(__file__).resolve().parents[2]
SEED = hashlib.sha256(b"verify-lottery-test").hexdigest()


def make_draw() -> dict:
    people = [Applicant(f"T{n:04d}", ("cs", "math", "lib")[n % 3], 1 if n % 4 == 0 else 0) for n in range(1, 13)]
    quotas = {"cs": 2, "math": 1, "lib": 1}
    result = run_draw(SEED, people, 5, quotas)
    return published_draw("ev-7", SEED, people, 5, quotas, result)


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "devtools.verify_lottery", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def write(tmp_path: Path, data: object, name: str = "draw.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return str(path)


def test_an_honest_draw_is_verified(tmp_path):
    draw = make_draw()
    completed = run(write(tmp_path, draw))
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "verified" in completed.stdout
    assert "验证通过" in completed.stdout
    assert "NOT verified" not in completed.stdout
    assert "applicants: 12" in completed.stdout
    assert "places: 5" in completed.stdout
    assert "winners: 5" in completed.stdout
    assert "--commitment" in completed.stdout  # the reminder to check against the event page
    assert completed.stderr == ""


def test_an_honest_draw_is_verified_against_the_commitment_published_before(tmp_path):
    completed = run(write(tmp_path, make_draw()), "--commitment", commitment(SEED).upper())
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "验证通过 / verified" in completed.stdout
    assert "--commitment" not in completed.stdout


def test_the_draw_may_come_on_standard_input():
    completed = run("-", stdin=json.dumps(make_draw()))
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "verified" in completed.stdout


def test_a_file_saved_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(make_draw()), encoding="utf-8-sig")
    completed = run(str(path))
    assert completed.returncode == 0, completed.stdout + completed.stderr


def tampered_seed(draw: dict) -> dict:
    seed = draw["seed"]
    draw["seed"] = seed[:-1] + ("0" if seed[-1] != "0" else "1")
    return draw


def applicant_removed(draw: dict) -> dict:
    gone = draw["winners"][0]
    draw["applicants"] = [a for a in draw["applicants"] if a["staff_no"] != gone]
    return draw


def winners_swapped(draw: dict) -> dict:
    draw["winners"][-1], draw["waiting"][0] = draw["waiting"][0], draw["winners"][-1]
    return draw


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (tampered_seed, "commitment"),
        (applicant_removed, "applicant list"),
        (winners_swapped, "other winners"),
    ],
)
def test_a_tampered_draw_is_not_verified(tmp_path, tamper, message):
    completed = run(write(tmp_path, tamper(make_draw())))
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "验证未通过 / NOT verified" in completed.stdout
    assert message in completed.stdout
    assert "验证通过" not in completed.stdout


def test_a_draw_that_does_not_match_the_commitment_given_is_not_verified(tmp_path):
    other = commitment(hashlib.sha256(b"another seed").hexdigest())
    completed = run(write(tmp_path, make_draw()), "--commitment", other)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "the seed does not match the commitment" in completed.stdout


def test_a_commitment_that_is_not_a_sha256_is_a_usage_error(tmp_path):
    completed = run(write(tmp_path, make_draw()), "--commitment", "xyz")
    assert completed.returncode == 2
    assert "64 hexadecimal" in completed.stderr


@pytest.mark.parametrize(
    "content",
    [b"this is not JSON {", b"", b"\xff\xfe\x00garbage", b"[1, 2, 3]", b'{"algorithm": "sha256-rank-v1"}'],
)
def test_a_file_that_is_not_a_draw_exits_2_without_a_traceback(tmp_path, content):
    path = tmp_path / "draw.json"
    path.write_bytes(content)
    completed = run(str(path))
    assert completed.returncode == 2, completed.stdout + completed.stderr
    assert "Traceback" not in completed.stderr
    assert str(path) in completed.stderr or "not a published draw" in completed.stderr
    assert "verified" not in completed.stdout


def test_a_missing_file_exits_2_without_a_traceback(tmp_path):
    missing = tmp_path / "nowhere.json"
    completed = run(str(missing))
    assert completed.returncode == 2
    assert "cannot read" in completed.stderr
    assert str(missing) in completed.stderr
    assert "Traceback" not in completed.stderr
