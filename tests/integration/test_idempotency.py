"""Idempotency keys on DynamoDB Local: a key left pending by a dead process or a database outage is claimed again
once abandoned (exactly once when retries race), and a failed request may run again."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest

from chalicelib.domain.calendar import now
from chalicelib.storage.idempotency import ABANDONED_AFTER, REQUEST_TIMEOUT, StoredResponse
from chalicelib.storage.tables import IdempotencyTable


@pytest.fixture
def records(store):
    return store.idempotency


def _key() -> str:
    return f"M0001#{uuid.uuid4()}"


def test_a_running_request_holds_its_key(records):
    key, at = _key(), now()
    assert records.claim(key, "fp", at).claimed
    retry = records.claim(key, "fp", at + REQUEST_TIMEOUT)
    assert not retry.claimed and retry.same_request and retry.response is None  # 409 request_in_progress


def test_an_abandoned_key_is_claimed_again_and_says_since_when(records):
    key, at = _key(), now()
    first = records.claim(key, "fp", at)
    later = at + ABANDONED_AFTER + timedelta(seconds=1)
    retry = records.claim(key, "fp", later)
    assert retry.claimed and retry.claimed_at == later
    assert retry.resumed_since == first.claimed_at
    # The dead first attempt cannot finish the key any more; the retry can.
    records.complete(key, first.claimed_at, StoredResponse(201, "application/json", '{"who": "first"}'))
    records.complete(key, retry.claimed_at, StoredResponse(201, "application/json", '{"who": "retry"}'))
    replay = records.claim(key, "fp", later + timedelta(seconds=1))
    assert replay.response == StoredResponse(201, "application/json", '{"who": "retry"}')


def test_retries_racing_for_an_abandoned_key_claim_it_once(records):
    key, at = _key(), now()
    records.claim(key, "fp", at)
    later = at + ABANDONED_AFTER + timedelta(seconds=1)
    barrier = threading.Barrier(8)
    outcomes = []

    def retry() -> None:
        barrier.wait()
        outcomes.append(records.claim(key, "fp", later))

    threads = [threading.Thread(target=retry) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(outcome.claimed for outcome in outcomes) == 1


def test_a_failed_request_may_run_again_at_once(records):
    key, at = _key(), now()
    first = records.claim(key, "fp", at)
    records.fail(key, first.claimed_at)
    retry = records.claim(key, "fp", at + timedelta(milliseconds=5))
    assert retry.claimed and retry.resumed_since == at


def test_a_failed_request_sent_again_with_other_content_starts_afresh(records):
    key, at = _key(), now()
    first = records.claim(key, "fp", at)
    records.fail(key, first.claimed_at)
    corrected = records.claim(key, "other", at + timedelta(seconds=1))
    assert corrected.claimed and corrected.resumed_since is None


def test_a_key_reused_for_another_request_is_refused_while_pending_or_done(records):
    key, at = _key(), now()
    first = records.claim(key, "fp", at)
    assert records.claim(key, "other", at).same_request is False
    records.complete(key, first.claimed_at, StoredResponse(200, "application/json", "{}"))
    assert records.claim(key, "other", at).same_request is False


def test_a_key_from_before_claims_carried_their_time_is_abandoned_too(records):
    key, at = _key(), now()
    IdempotencyTable(key, fingerprint="fp", state="pending", expires_at=at + timedelta(hours=24)).save()
    assert not records.claim(key, "fp", at + timedelta(seconds=1)).claimed
    assert records.claim(key, "fp", at + ABANDONED_AFTER + timedelta(seconds=2)).claimed
