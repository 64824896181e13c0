"""A real local SMTP server (aiosmtpd) for the e-mail channel's tests, the end-to-end tests and the benchmark.

``serving()`` starts it on 127.0.0.1 on a free port with a certificate for ``localhost`` and ``127.0.0.1`` signed by
a certificate authority made on the spot (``cryptography``); ``server.ca_file`` is that CA, which the app trusts
through ``SMTP_CA_FILE`` (verification stays on). By default STARTTLS is required before anything else and so is
AUTH (LOGIN or PLAIN, only over TLS) with ``USERNAME`` / ``PASSWORD``; ``security="tls"`` speaks TLS from the first
byte instead (port 465's way). What arrives is kept, parsed, in ``server.messages`` (an ``EmailMessage`` each, with
its envelope in ``server.envelopes``). The server can be told to refuse a recipient (``refuse``: 550 or 4xx), to be
temporarily unavailable (``unavailable``: 451 to every recipient) or to be slow (``slow``: each reply waits)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import email
import email.policy
import ipaddress
import socket
import tempfile
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Literal

USERNAME = "union-notify@example.edu.cn"
PASSWORD = "relay-password-for-tests"
FROM = "校工会 <union-notify@example.edu.cn>"


@dataclass(frozen=True)
class Envelope:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    authenticated_as: str | None
    tls: bool


class SmtpServer:
    def __init__(self, host: str, port: int, ca_file: Path, security: str) -> None:
        self.host, self.port, self.ca_file, self.security = host, port, ca_file, security
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Envelope] = []
        self.refused: dict[str, str] = {}
        self.temporarily_unavailable = False
        self.delay = 0.0
        self.logins_tried = 0
        self.peers: set = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.transports: list = []
        self._lock = threading.Lock()
        self.arrived = threading.Condition(self._lock)

    @property
    def connections(self) -> int:
        return len(self.peers)

    # What the tests tell the server.
    def refuse(self, address: str, reply: str = "550 5.1.1 No such user here") -> None:
        self.refused[address.lower()] = reply

    def unavailable(self, on: bool = True) -> None:
        """Every recipient gets 451 (try again later) while on."""
        self.temporarily_unavailable = on

    def slow(self, seconds: float) -> None:
        """Each reply to a recipient or to the message waits ``seconds``."""
        self.delay = seconds

    def drop_connections(self) -> None:
        """Close every open connection from the server's side, as a relay does with idle clients."""
        with self._lock:
            transports, self.transports = self.transports, []
        for transport in transports:
            assert self.loop is not None
            self.loop.call_soon_threadsafe(transport.abort)

    def environment(self, username: str | None = USERNAME, password: str | None = PASSWORD) -> dict[str, str]:
        """The app's settings for this server, as environment variables (``Settings.from_env``, the benchmark)."""
        env = {
            "SMTP_HOST": "localhost",
            "SMTP_PORT": str(self.port),
            "SMTP_SECURITY": self.security,
            "SMTP_FROM": FROM,
            "SMTP_CA_FILE": str(self.ca_file),
            "SMTP_TIMEOUT": "5",
        }
        if username and password:
            env |= {"SMTP_USERNAME": username, "SMTP_PASSWORD": password}
        return env

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """The messages once at least ``count`` have arrived (an AssertionError after ``timeout`` seconds)."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.messages) >= count, timeout):
                raise AssertionError(f"{len(self.messages)} e-mails arrived, expected {count}")
            return list(self.messages)

    # aiosmtpd's handler hooks (run on the server's event loop).
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with self._lock:
            self.peers.add(session.peer)  # one per connection (EHLO comes again after STARTTLS)
            self.transports.append(server.transport)
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        await asyncio.sleep(self.delay)
        if self.temporarily_unavailable:
            return "451 4.3.2 Please try again later"
        refused = self.refused.get(address.lower())
        if refused:
            return refused
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        login = session.auth_data if session.authenticated else None
        with self.arrived:
            self.messages.append(parsed)  # type: ignore[arg-type]
            self.envelopes.append(
                Envelope(
                    envelope.mail_from,
                    tuple(envelope.rcpt_tos),
                    login.decode() if isinstance(login, bytes) else login,
                    server.transport.get_extra_info("ssl_object") is not None,
                )
            )
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult, LoginPassword

        with self._lock:
            self.logins_tried += 1
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == USERNAME
            and auth_data.password.decode() == PASSWORD
        )
        # handled=False: aiosmtpd answers the refusal itself (535), as a relay does.
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)


def make_certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A test CA and a server certificate it signed for localhost and 127.0.0.1: (ca.pem, server.pem, server.key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "union-events test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = directory / "ca.pem", directory / "server.pem", directory / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return paths


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(security: Literal["starttls", "tls"] = "starttls", auth_required: bool = True) -> Iterator[SmtpServer]:
    """A running server until the block ends (then stopped; its certificates deleted)."""
    import ssl

    from aiosmtpd.controller import Controller

    with tempfile.TemporaryDirectory(prefix="smtp-test-") as directory:
        ca_file, cert_file, key_file = make_certificates(Path(directory))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert_file, key_file)
        server = SmtpServer("127.0.0.1", free_port(), ca_file, security)
        options: dict = {
            "authenticator": server.authenticate,
            "auth_required": auth_required,
            "auth_require_tls": True,
        }
        if security == "tls":
            # TLS from the first byte: aiosmtpd counts only STARTTLS as TLS for AUTH, so that check is off here.
            options |= {"ssl_context": context, "auth_require_tls": False}
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS", UserWarning)
        else:
            options |= {"tls_context": context, "require_starttls": True}
        controller = Controller(server, hostname="127.0.0.1", port=server.port, server_hostname="localhost", **options)
        controller.start()
        server.loop = controller.loop
        try:
            yield server
        finally:
            # Connections a client kept open would hold the stop until they time out: close them first.
            server.drop_connections()
            controller.stop()


def main() -> None:
    """Serve until Ctrl-C, printing the settings to start ``make run`` with and each e-mail that arrives."""
    import time

    with serving() as server:
        print("A local SMTP relay (STARTTLS, AUTH). Start the app with:")
        print(" ".join(f"{name}='{value}'" for name, value in server.environment().items()), "make run")
        shown = 0
        try:
            while True:
                with server.arrived:
                    new = server.messages[shown:]
                for mail in new:
                    shown += 1
                    body = mail.get_body(("plain",))
                    print(f"\n--- {mail['Date']} to {mail['To']}: {mail['Subject']}")
                    print(body.get_content() if body else "")
                time.sleep(0.5)
        except KeyboardInterrupt:
            print("stopped")


if __name__ == "__main__":
    main()
