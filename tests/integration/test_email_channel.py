"""The e-mail channel (chalicelib.services.channels.email) against a real local SMTP server (tests/smtp_server.py:
aiosmtpd, STARTTLS required, AUTH, a certificate from a CA made for the test): what arrives, parsed with the email
package, and what each failure of the relay becomes."""

from __future__ import annotations

import time

import pytest

from chalicelib.domain.notify import Channel, Outgoing, SendFailed
from chalicelib.services.channels import configured
from chalicelib.services.channels.email import EmailSender, message_id, sender
from chalicelib.settings import Settings, SettingsError
from tests.smtp_server import FROM, PASSWORD, USERNAME, free_port, serving

TITLE = "羽毛球团体赛：候补转正"
TEXT = "您已从候补转为正式报名：2026年教职工羽毛球团体赛。请按时参加。"
URL = "https://union.example.edu.cn/events/e1"


def _outgoing(address: str = "ren.bo@example.edu.cn", key: str = "2014001#01JXYZ#email", **changes) -> Outgoing:
    fields = {"title": TITLE, "text": TEXT, "url": URL} | changes
    return Outgoing(key=key, channel=Channel.EMAIL, staff_no="2014001", address=address, **fields)


def _settings(server, **env) -> Settings:
    return Settings.from_env(server.environment() | env)


@pytest.fixture
def relay():
    with serving() as server:
        yield server


def test_a_notification_arrives_over_starttls_with_auth_and_its_chinese_subject_decoded(relay):
    mail_sender = sender(_settings(relay))
    assert mail_sender is not None
    mail_sender.send(_outgoing())
    (mail,) = relay.wait_for(1)
    (envelope,) = relay.envelopes
    assert envelope.tls and envelope.authenticated_as == USERNAME
    assert envelope.mail_from == "union-notify@example.edu.cn" and envelope.rcpt_tos == ("ren.bo@example.edu.cn",)
    assert mail["Subject"] == TITLE
    assert mail["From"].addresses[0].display_name == "校工会"
    assert mail["From"].addresses[0].addr_spec == "union-notify@example.edu.cn"
    assert mail["To"] == "ren.bo@example.edu.cn"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["List-Unsubscribe"] == "<https://union.example.edu.cn/me/notify-settings>"
    assert mail["Date"].datetime.tzinfo is not None
    assert mail["Message-ID"] == message_id("2014001#01JXYZ#email", "union-notify@example.edu.cn")
    text = mail.get_body(("plain",))
    assert text.get_content_charset() == "utf-8"
    assert TEXT in text.get_content() and URL in text.get_content()
    assert "https://union.example.edu.cn/me/notify-settings" in text.get_content()
    html = mail.get_body(("html",)).get_content()
    assert f'<a href="{URL}">' in html and TEXT in html
    # The raw header is RFC 2047 (ASCII on the wire), not raw UTF-8.
    raw = mail.as_bytes()
    header_block = raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw else raw.split(b"\n\n", 1)[0]
    assert b"=?utf-8?" in header_block.lower() and all(byte < 128 for byte in header_block)


def test_the_message_id_is_the_same_for_every_attempt_and_names_no_member(relay):
    mail_sender = sender(_settings(relay))
    assert mail_sender is not None
    mail_sender.send(_outgoing())
    mail_sender.send(_outgoing())
    mail_sender.send(_outgoing(key="2014001#01JXZZ#email"))
    first, again, other = relay.wait_for(3)
    assert first["Message-ID"] == again["Message-ID"] != other["Message-ID"]
    assert "2014001" not in first["Message-ID"] and first["Message-ID"].endswith("@example.edu.cn>")


def test_markup_in_a_notification_is_escaped_in_the_html_part(relay):
    mail_sender = sender(_settings(relay))
    assert mail_sender is not None
    mail_sender.send(_outgoing(text='<script>alert("x")</script> & 通知', title="标题\r\nBcc: evil@example.com"))
    (mail,) = relay.wait_for(1)
    html = mail.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; 通知" in html
    assert mail["Bcc"] is None and mail["Subject"] == "标题 Bcc: evil@example.com"
    assert relay.envelopes[0].rcpt_tos == ("ren.bo@example.edu.cn",)


def test_one_connection_serves_a_batch(relay):
    mail_sender = sender(_settings(relay))
    assert mail_sender is not None
    for n in range(5):
        mail_sender.send(_outgoing(address=f"m{n}@example.edu.cn", key=f"M{n}#01J#email"))
    assert len(relay.wait_for(5)) == 5
    assert relay.connections == 1 and relay.logins_tried == 1


def test_senders_in_several_threads_each_use_a_connection_of_their_own(relay):
    from concurrent.futures import ThreadPoolExecutor

    mail_sender = sender(_settings(relay))
    assert mail_sender is not None
    addresses = [f"t{n}@example.edu.cn" for n in range(24)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda a: mail_sender.send(_outgoing(address=a, key=f"{a}#email")), addresses))
    arrived = relay.wait_for(24)
    assert sorted(m["To"] for m in arrived) == sorted(addresses)
    assert len({m["Message-ID"] for m in arrived}) == 24
    assert 1 <= relay.connections <= 4  # connections are given back and reused, never more than the threads
    mail_sender.close()


def test_implicit_tls_on_its_own_port():
    with serving(security="tls") as server:
        mail_sender = sender(_settings(server))
        assert mail_sender is not None
        mail_sender.send(_outgoing())
        (mail,) = server.wait_for(1)
        assert mail["Subject"] == TITLE and server.envelopes[0].tls


def test_a_refused_recipient_is_not_retried_and_the_code_names_no_address(relay):
    relay.refuse("gone@example.edu.cn")
    mail_sender = sender(_settings(relay))
    assert mail_sender is not None
    with pytest.raises(SendFailed) as refused:
        mail_sender.send(_outgoing(address="gone@example.edu.cn"))
    assert refused.value.code == "email_address_refused" and not refused.value.retryable
    assert "gone" not in refused.value.code + refused.value.detail and refused.value.detail == "550"
    mail_sender.send(_outgoing())  # the next member's mail still goes
    assert len(relay.wait_for(1)) == 1


@pytest.mark.parametrize("address", ["a@example.edu.cn, b@example.com", "张三@example.edu.cn", "x <a@example.edu.cn>"])
def test_an_address_that_is_not_one_plain_mailbox_never_reaches_the_relay(relay, address):
    mail_sender = sender(_settings(relay))
    assert mail_sender is not None
    with pytest.raises(SendFailed) as invalid:
        mail_sender.send(_outgoing(address=address))
    assert invalid.value.code == "email_address_invalid" and not invalid.value.retryable
    assert relay.connections == 0 and relay.messages == []


def test_a_relay_temporarily_unavailable_is_retried(relay):
    relay.unavailable()
    mail_sender = sender(_settings(relay))
    assert mail_sender is not None
    with pytest.raises(SendFailed) as busy:
        mail_sender.send(_outgoing())
    assert busy.value.code == "email_relay_busy" and busy.value.retryable and busy.value.detail == "451"
    relay.unavailable(False)
    mail_sender.send(_outgoing())
    assert len(relay.wait_for(1)) == 1


def test_a_wrong_password_is_named_and_not_retried(relay):
    mail_sender = sender(_settings(relay, SMTP_PASSWORD="not-the-password"))
    assert mail_sender is not None
    with pytest.raises(SendFailed) as refused:
        mail_sender.send(_outgoing())
    assert refused.value.code == "email_auth_refused" and not refused.value.retryable
    assert "not-the-password" not in repr(refused.value) + refused.value.detail
    for n in range(3):  # the rest of the batch: refused the same way, the password not tried again
        with pytest.raises(SendFailed, match="email_auth_refused"):
            mail_sender.send(_outgoing(key=f"more{n}"))
    assert relay.messages == [] and relay.logins_tried == 2  # one login: smtplib tries PLAIN, then LOGIN


def test_without_auth_the_relay_refuses_the_message(relay):
    mail_sender = sender(Settings.from_env(relay.environment(username=None, password=None)))
    assert mail_sender is not None
    with pytest.raises(SendFailed) as refused:
        mail_sender.send(_outgoing())
    assert refused.value.code == "email_sender_refused" and not refused.value.retryable
    assert relay.messages == []


def test_a_relay_that_is_down_is_retried():
    port = free_port()  # nothing listens there
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_from=FROM, smtp_timeout=2)
    mail_sender = sender(settings)
    assert mail_sender is not None
    with pytest.raises(SendFailed) as down:
        mail_sender.send(_outgoing())
    assert down.value.code == "email_relay_unreachable" and down.value.retryable


def test_a_slow_relay_times_out_and_is_retried(relay):
    relay.slow(3)
    mail_sender = sender(_settings(relay, SMTP_TIMEOUT="1"))
    assert mail_sender is not None
    started = time.monotonic()
    with pytest.raises(SendFailed) as slow:
        mail_sender.send(_outgoing())
    assert slow.value.code == "email_relay_timeout" and slow.value.retryable
    assert time.monotonic() - started < 2.5  # one timeout, not a second try on top
    relay.slow(0)
    time.sleep(2.5)  # the server finishes the slow reply it owed
    mail_sender.send(_outgoing())  # a fresh connection afterwards
    assert any(m["Subject"] == TITLE for m in relay.wait_for(1))


def test_a_certificate_the_app_does_not_trust_is_refused_never_skipped(relay):
    env = relay.environment()
    del env["SMTP_CA_FILE"]  # the system's CAs only: the test CA is unknown
    mail_sender = sender(Settings.from_env(env))
    assert mail_sender is not None
    with pytest.raises(SendFailed) as untrusted:
        mail_sender.send(_outgoing())
    assert untrusted.value.code == "email_tls_certificate_refused" and untrusted.value.retryable
    assert relay.messages == [] and relay.logins_tried == 0


def test_a_certificate_for_another_name_is_refused(relay):
    # The certificate names localhost and 127.0.0.1; the relay reached as 127.0.0.2 (same machine) does not match.
    mail_sender = sender(_settings(relay, SMTP_HOST="127.0.0.2"))
    assert mail_sender is not None
    try:
        mail_sender.send(_outgoing())
    except SendFailed as error:
        assert error.code in {"email_tls_certificate_refused", "email_relay_unreachable"}
    else:
        raise AssertionError("a certificate for another name was accepted")
    assert relay.messages == []


def test_a_relay_closing_a_kept_connection_is_reconnected_once(relay):
    mail_sender = sender(_settings(relay))
    assert isinstance(mail_sender, EmailSender)
    mail_sender.send(_outgoing(key="a"))
    relay.drop_connections()  # as when the relay drops an idle client
    time.sleep(0.2)
    mail_sender.send(_outgoing(key="b"))
    assert len(relay.wait_for(2)) == 2 and relay.connections == 2


def test_email_is_off_until_host_and_sender_are_set(relay):
    assert sender(Settings()) is None
    assert Channel.EMAIL not in configured(Settings())
    assert isinstance(configured(_settings(relay))[Channel.EMAIL], EmailSender)


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"SMTP_HOST": "smtp.example.edu.cn"}, "SMTP_HOST and SMTP_FROM go together"),
        ({"SMTP_FROM": FROM}, "SMTP_HOST and SMTP_FROM go together"),
        ({"SMTP_HOST": "smtp.example.edu.cn", "SMTP_FROM": "a@example.edu.cn\r\nBcc: b@example.com"}, "SMTP_FROM"),
        ({"SMTP_HOST": "smtp.example.edu.cn", "SMTP_FROM": "a@example.edu.cn, b@example.com"}, "SMTP_FROM"),
        ({"SMTP_HOST": "smtp.example.edu.cn", "SMTP_FROM": "校工会"}, "SMTP_FROM"),
        ({"SMTP_HOST": "smtp example", "SMTP_FROM": FROM}, "smtp_host"),
        ({"SMTP_HOST": "smtp.example.edu.cn", "SMTP_FROM": FROM, "SMTP_SECURITY": "none"}, "smtp_security"),
        ({"SMTP_HOST": "smtp.example.edu.cn", "SMTP_FROM": FROM, "SMTP_USERNAME": USERNAME}, "SMTP_PASSWORD"),
        ({"SMTP_HOST": "smtp.example.edu.cn", "SMTP_FROM": FROM, "SMTP_PORT": "70000"}, "smtp_port"),
        (
            {"SMTP_HOST": "smtp.example.edu.cn", "SMTP_FROM": FROM, "SMTP_CA_FILE": "/nonexistent/ca.pem"},
            "SMTP_CA_FILE",
        ),
    ],
)
def test_settings_refuse_a_half_or_unsafe_configuration(env, problem):
    with pytest.raises(SettingsError, match=problem):
        Settings.from_env(env)


def test_the_password_may_come_from_ssm_and_is_never_shown():
    asked = []

    def read_parameter(name: str, region: str | None) -> str:
        asked.append(name)
        return PASSWORD

    settings = Settings.from_env(
        {
            "SMTP_HOST": "smtp.example.edu.cn",
            "SMTP_FROM": FROM,
            "SMTP_USERNAME": USERNAME,
            "SMTP_PASSWORD_PARAMETER": "/union-events/prod/smtp-password",
        },
        read_parameter,
    )
    assert asked == ["/union-events/prod/smtp-password"] and settings.smtp_password == PASSWORD
    assert PASSWORD not in repr(settings)


def test_the_test_mail_command_sends_one_mail_or_names_what_is_wrong(relay):
    import io

    from devtools.send_test_email import EXIT_NOT_CONFIGURED, EXIT_OK, EXIT_REFUSED, main

    out = io.StringIO()
    assert main(["admin@example.edu.cn"], relay.environment(), out) == EXIT_OK
    (mail,) = relay.wait_for(1)
    assert mail["To"] == "admin@example.edu.cn" and "测试邮件" in mail["Subject"]
    assert "sent to admin@example.edu.cn" in out.getvalue()
    out = io.StringIO()
    env = relay.environment() | {"SMTP_PASSWORD": "wrong-password"}
    assert main(["admin@example.edu.cn"], env, out) == EXIT_REFUSED
    assert out.getvalue().startswith("refused: email_auth_refused (final)") and "wrong-password" not in out.getvalue()
    out = io.StringIO()
    assert main(["admin@example.edu.cn"], {}, out) == EXIT_NOT_CONFIGURED and "e-mail is off" in out.getvalue()
    out = io.StringIO()
    assert main(["admin@example.edu.cn"], {"SMTP_HOST": "smtp.example.edu.cn"}, out) == EXIT_NOT_CONFIGURED
    assert "SMTP_HOST and SMTP_FROM go together" in out.getvalue()


def test_without_an_absolute_link_the_mail_carries_none(relay):
    mail_sender = sender(_settings(relay))
    assert mail_sender is not None
    mail_sender.send(_outgoing(url="/events/e1"))  # PUBLIC_BASE_URL unset: delivery has only the path
    (mail,) = relay.wait_for(1)
    assert mail["List-Unsubscribe"] is None
    assert "/events/e1" not in mail.get_body(("plain",)).get_content()
    assert "href" not in mail.get_body(("html",)).get_content() and TEXT in mail.get_body(("plain",)).get_content()
