"""Send one test e-mail through the configured SMTP relay, to check a deployment's e-mail settings before members
depend on them (docs/notifications.md, "E-mail").

    python -m devtools.send_test_email you@example.edu.cn [--url https://union.example.edu.cn/]

Reads the same settings as the app (SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USERNAME, SMTP_PASSWORD or
SMTP_PASSWORD_PARAMETER, SMTP_FROM, SMTP_TIMEOUT, SMTP_CA_FILE) and sends exactly what a notification would be,
through the same sender (chalicelib/services/channels/email.py). Prints what went wrong in the words delivery
stores for the union admin (the failure's code), never the password.

Exit codes: 0 sent (the relay took it); 1 the relay or the connection refused it (the code says why); 2 e-mail is
not configured or the settings are invalid."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import TextIO

from chalicelib.domain.notify import SendFailed
from chalicelib.settings import Settings, SettingsError

EXIT_OK, EXIT_REFUSED, EXIT_NOT_CONFIGURED = 0, 1, 2


def main(argv: Sequence[str] | None = None, environ: dict[str, str] | None = None, out: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("address", help="where to send the test e-mail")
    parser.add_argument("--url", default="https://union.example.edu.cn/", help="the link the e-mail carries")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(environ)
    except SettingsError as error:
        print(f"settings: {error}", file=out)
        return EXIT_NOT_CONFIGURED
    from chalicelib.services.channels.email import sender, test_message

    mail_sender = sender(settings)
    if mail_sender is None:
        print("e-mail is off: set SMTP_HOST and SMTP_FROM (docs/notifications.md)", file=out)
        return EXIT_NOT_CONFIGURED
    message = test_message(args.address, args.url, settings.default_language)
    started = time.monotonic()
    try:
        mail_sender.send(message)
    except SendFailed as failed:
        retry = "retryable" if failed.retryable else "final"
        print(f"refused: {failed.code} ({retry}) {failed.detail}".rstrip(), file=out)
        return EXIT_REFUSED
    finally:
        mail_sender.close()
    print(
        f"sent to {args.address} through {settings.smtp_host}:{settings.smtp_port} ({settings.smtp_security}) "
        f"in {time.monotonic() - started:.1f}s",
        file=out,
    )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
