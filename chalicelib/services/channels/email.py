"""E-mail through the university's SMTP relay: STARTTLS (or implicit TLS) with the certificate verified, AUTH when
configured, one message per notification with a Message-ID made from the delivery's key (docs/notifications.md).

The connection is kept open between messages of one batch and opened again when the relay has closed it. Every
failure becomes ``SendFailed`` with a short code (no address, no secret in it): the relay refusing the recipient
for good (5xx) is not retried; busy (4xx), unreachable, slow or a TLS failure is; AUTH refused is not (the settings
are wrong: the union admin retries once they are fixed)."""

from __future__ import annotations

import datetime
import hashlib
import smtplib
import ssl
import threading
import time
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from html import escape
from urllib.parse import urlsplit

from chalicelib.domain.notify import Channel, Outgoing, SendFailed
from chalicelib.settings import Settings, sender_address

# Where a member chooses their channels (the List-Unsubscribe link and the footer): part A2's page.
CHOICES_PATH = "/me/notify-settings"
# A kept connection older than this is closed and opened again (relays drop idle clients after about a minute).
IDLE_SECONDS = 30.0


class EmailSender:
    channel = Channel.EMAIL

    def __init__(self, settings: Settings) -> None:
        found = sender_address(settings.smtp_from or "")
        if settings.smtp_host is None or found is None:
            raise ValueError("e-mail is not configured (SMTP_HOST, SMTP_FROM)")
        self.host, self.port, self.security = settings.smtp_host, settings.smtp_port, settings.smtp_security
        self.timeout = settings.smtp_timeout
        username, password = settings.smtp_username, settings.smtp_password
        self.login = (username, password) if username and password else None
        self.sender_name, self.sender = found
        self.language = settings.default_language
        self.tls = ssl.create_default_context()
        if settings.smtp_ca_file:
            self.tls.load_verify_locations(cafile=settings.smtp_ca_file)
        # Connections not in use, each with when it was last used: delivery sends from several threads at once
        # (services/delivery.py WORKERS_PER_CHANNEL), each takes one or opens its own, and gives it back.
        self._idle: list[tuple[smtplib.SMTP, float]] = []
        # The relay refused the account: the rest of this batch fails the same way without trying the password again
        # (a relay locks an account after a few wrong passwords).
        self._auth_refused: SendFailed | None = None
        self._lock = threading.Lock()

    def send(self, message: Outgoing) -> None:
        if sender_address(message.address) != ("", message.address):
            # One plain ASCII address or nothing: no second recipient, no display name, no SMTPUTF8 relay needed.
            raise SendFailed("email_address_invalid", retryable=False)
        mail = compose(message, self.sender_name, self.sender, self.language)
        for attempt in (1, 2):
            smtp = self._take()
            kept = smtp is not None
            try:
                if smtp is None:
                    smtp = self._open()
                smtp.send_message(mail, from_addr=self.sender, to_addrs=[message.address])
            except (smtplib.SMTPException, OSError) as error:
                if smtp is not None:
                    _quietly_close(smtp)
                # A kept connection the relay had closed meanwhile: one new connection, then failures count.
                if attempt == 2 or not kept or not isinstance(error, smtplib.SMTPServerDisconnected):
                    raise self._failed(failure(error)) from None
                continue
            with self._lock:
                self._idle.append((smtp, time.monotonic()))
            return

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for smtp, _ in idle:
            _quietly_close(smtp)

    def _take(self) -> smtplib.SMTP | None:
        """An idle connection used recently enough, or None (stale ones closed); refused at once after AUTH was."""
        with self._lock:
            if self._auth_refused is not None:
                raise self._auth_refused
            stale = [smtp for smtp, used in self._idle if time.monotonic() - used >= IDLE_SECONDS]
            self._idle = [(smtp, used) for smtp, used in self._idle if time.monotonic() - used < IDLE_SECONDS]
            found = self._idle.pop()[0] if self._idle else None
        for smtp in stale:
            _quietly_close(smtp)
        return found

    def _failed(self, failed: SendFailed) -> SendFailed:
        if failed.code == "email_auth_refused":
            with self._lock:
                self._auth_refused = failed
        return failed

    def _open(self) -> smtplib.SMTP:
        if self.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self.tls)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            smtp.ehlo()
            if self.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise SendFailed("email_starttls_not_offered", retryable=True)
                smtp.starttls(context=self.tls)
                smtp.ehlo()
            if self.login:
                smtp.login(*self.login)
        except BaseException:
            _quietly_close(smtp)
            raise
        return smtp


def _quietly_close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def sender(settings: Settings) -> EmailSender | None:
    """The e-mail sender when SMTP_HOST and SMTP_FROM are set, else None (e-mail off)."""
    return EmailSender(settings) if settings.smtp_enabled else None


def test_message(address: str, url: str, language: str) -> Outgoing:
    """A test e-mail for ``address`` (devtools/send_test_email.py: checking a deployment's relay settings)."""
    from chalicelib.i18n import translate

    return Outgoing(
        key=f"test#{time.time_ns()}#email",
        channel=Channel.EMAIL,
        staff_no="test",
        address=address,
        title=translate("email.test.title", language, app=translate("app.name", language)),
        text=translate("email.test.text", language),
        url=url,
    )


def message_id(key: str, sender: str) -> str:
    """The same Message-ID for every attempt of one delivery (a relay or a mailbox recognises a re-send), with no
    工号 in it: a digest of the delivery's key, at the sender's domain."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<{digest}@{sender.rpartition('@')[2]}>"


def compose(message: Outgoing, sender_name: str, sender: str, language: str) -> EmailMessage:
    """The e-mail for one notification: UTF-8 plain text (the sentence, the link, where to change channels) with a
    small escaped HTML alternative; the subject and the sender's name RFC 2047-encoded by the email package."""
    from chalicelib.i18n import translate

    parts = urlsplit(message.url)
    # Links need PUBLIC_BASE_URL (delivery makes them absolute with it); without it the e-mail carries no link.
    site = f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None
    link = message.url if site else ""
    choices = f"{site}{CHOICES_PATH}" if site else ""
    footer = translate("email.footer", language, app=translate("app.name", language))
    change = translate("email.change_channels", language)
    mail = EmailMessage()
    mail["Subject"] = " ".join(message.title.split())[:200]
    mail["From"] = formataddr((sender_name, sender)) if sender_name else sender
    mail["To"] = message.address
    mail["Date"] = format_datetime(datetime.datetime.now(datetime.UTC), usegmt=True)
    mail["Message-ID"] = message_id(message.key, sender)
    mail["Auto-Submitted"] = "auto-generated"
    if choices:
        mail["List-Unsubscribe"] = f"<{choices}>"
    lines = [message.text, link, f"--\n{footer}", f"{change}\n{choices}" if choices else ""]
    mail.set_content("\n\n".join(line for line in lines if line) + "\n", charset="utf-8")
    html = [f"<p>{escape(message.text)}</p>", f"<p>{escape(footer)}</p>"]
    if site:
        html[1:1] = [f'<p><a href="{escape(link)}">{escape(link)}</a></p>']
        html.append(f'<p><a href="{escape(choices)}">{escape(change)}</a></p>')
    mail.add_alternative(
        f'<!doctype html><html lang="{"zh-CN" if language == "zh" else "en"}"><body>{"".join(html)}</body></html>\n',
        subtype="html",
        charset="utf-8",
    )
    return mail


# A relay's reply that refuses, by the exception smtplib raises for it (subclasses first): its code when final (5xx).
_Refusal = type[smtplib.SMTPResponseException] | tuple[type[smtplib.SMTPResponseException], ...]
_REFUSALS: tuple[tuple[_Refusal, str], ...] = (
    (smtplib.SMTPAuthenticationError, "email_auth_refused"),
    (smtplib.SMTPSenderRefused, "email_sender_refused"),
    ((smtplib.SMTPConnectError, smtplib.SMTPHeloError), "email_relay_refused"),
    (smtplib.SMTPResponseException, "email_message_refused"),
)


def failure(error: BaseException) -> SendFailed:
    """What went wrong, as a SendFailed whose code names it and whose detail is the relay's reply code only (a
    reply's text often repeats the address)."""
    if isinstance(error, SendFailed):
        return error
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = min((reply[0] for reply in error.recipients.values()), default=550)
        return _by_reply(code, "email_address_refused")
    for kind, permanent in _REFUSALS:
        if isinstance(error, kind):
            assert isinstance(error, smtplib.SMTPResponseException)
            return _by_reply(error.smtp_code, permanent)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        # smtplib turns a reply that never came (a timeout) into "connection unexpectedly closed".
        timed_out = isinstance(error.__context__, TimeoutError)
        return SendFailed("email_relay_timeout" if timed_out else "email_relay_disconnected", retryable=True)
    if isinstance(error, smtplib.SMTPException):  # no AUTH offered, no method in common, …
        return SendFailed("email_relay_unsupported", retryable=False, detail=str(error)[:100])
    return _transport_failure(error)


def _transport_failure(error: BaseException) -> SendFailed:
    """The connection itself failed: all retryable (the relay may be back, the certificate renewed)."""
    if isinstance(error, ssl.SSLCertVerificationError):
        return SendFailed("email_tls_certificate_refused", retryable=True, detail=error.verify_message or "")
    if isinstance(error, ssl.SSLError):
        return SendFailed("email_tls_failed", retryable=True, detail=error.reason or "")
    if isinstance(error, TimeoutError):
        return SendFailed("email_relay_timeout", retryable=True)
    return SendFailed("email_relay_unreachable", retryable=True, detail=type(error).__name__)


def _by_reply(code: int, permanent: str) -> SendFailed:
    """A relay's reply: 4xx is "try again later" (busy, greylisted, over quota); 5xx is final. No reply code at all
    (smtplib's -1: what came back was not SMTP, a web server on that port or a garbled line) is retried like a
    dropped connection, not failed for good on one bad answer."""
    if not 200 <= code < 600:
        return SendFailed("email_relay_garbled", retryable=True, detail=str(code))
    if 400 <= code < 500:
        return SendFailed("email_relay_busy", retryable=True, detail=str(code))
    return SendFailed(permanent, retryable=False, detail=str(code))
