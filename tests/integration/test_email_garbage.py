"""The e-mail channel against a server that does not speak SMTP (issue 20, "Bad input": a provider answering
garbage): SMTP_HOST pointed by mistake at a web server, or a relay that answers nonsense in the middle of the
conversation. Each send fails with a SendFailed the delivery can retry (nothing lost), never an exception of another
kind that would fail the whole batch; the server's words are not in the code."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from chalicelib.domain.notify import Channel, Outgoing, SendFailed
from chalicelib.services.channels.email import sender
from chalicelib.settings import Settings
from tests.smtp_server import FROM

GREETINGS = {
    "a web server": b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
    "binary noise": bytes(range(256)) + b"\r\n",
    "a greeting, then nonsense to EHLO": b"220 relay.example.edu.cn ESMTP\r\n",
}


@contextmanager
def garbage_server(greeting: bytes) -> Iterator[int]:
    """A TCP server on 127.0.0.1 that sends ``greeting``, then answers each line with a line that is not SMTP."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def talk(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                conn.sendall(greeting)
                while not stop.is_set() and conn.recv(4096):
                    conn.sendall("五百 what?\r\n".encode())
            except OSError:
                pass

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=talk, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        listener.close()


@pytest.mark.parametrize("greeting", GREETINGS.values(), ids=GREETINGS.keys())
def test_a_server_answering_garbage_is_a_retryable_failure(greeting):
    outgoing = Outgoing(key="2014001#01JXYZ#email", channel=Channel.EMAIL, staff_no="2014001",
                        address="ren.bo@example.edu.cn", title="羽毛球赛", text="您已转为正式报名。",
                        url="https://union.example.edu.cn/events/e1")  # fmt: skip
    with garbage_server(greeting) as port:
        mail_sender = sender(Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_from=FROM, smtp_timeout=2))
        assert mail_sender is not None
        for _ in range(2):  # and again: a broken connection is not kept for the next message
            with pytest.raises(SendFailed) as failed:
                mail_sender.send(outgoing)
            assert failed.value.retryable, failed.value
            assert failed.value.code.startswith("email_") and "what" not in failed.value.code
