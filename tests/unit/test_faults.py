"""Which failures are an outage of DynamoDB (503, retry) and which are ours (500): botocore's own exceptions,
as PynamoDB wraps them."""

from __future__ import annotations

from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from pynamodb.exceptions import GetError, PutError, TransactWriteError

from chalicelib.storage.faults import is_outage


def _client_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, "TransactWriteItems")


def test_unreachable_and_timed_out_are_outages_also_when_wrapped_by_pynamodb():
    for error in (
        EndpointConnectionError(endpoint_url="http://127.0.0.1:1"),
        ConnectTimeoutError(endpoint_url="http://127.0.0.1:1"),
        ReadTimeoutError(endpoint_url="http://127.0.0.1:1"),
        ConnectionClosedError(endpoint_url="http://127.0.0.1:1"),
    ):
        assert is_outage(error)
        assert is_outage(GetError("Failed to get item", error))
        assert is_outage(TransactWriteError("Failed to write transaction items", error))


def test_throttling_is_an_outage_and_a_refused_request_is_not():
    assert is_outage(PutError("Failed to put item", _client_error("ProvisionedThroughputExceededException")))
    assert is_outage(_client_error("ThrottlingException"))
    assert not is_outage(PutError("Failed to put item", _client_error("ValidationException")))
    assert not is_outage(PutError("Failed to put item", _client_error("ConditionalCheckFailedException")))


def test_an_outage_behind_another_exception_is_found_through_the_chain():
    try:
        try:
            raise GetError("Failed to get item", ReadTimeoutError(endpoint_url="http://db"))
        except GetError as inner:
            raise RuntimeError("while reading the event") from inner
    except RuntimeError as outer:
        assert is_outage(outer)
    assert not is_outage(ValueError("a bug of ours"))
