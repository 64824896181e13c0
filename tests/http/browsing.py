"""What page tests send as a browser would: the session cookie, form posts from this site, and reading headers."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import urlencode

from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.web.admin_pages import member_form

FORM = "application/x-www-form-urlencoded"
HOST = "union.example.edu.cn"
# A browser posting a form from this site names the site in Origin (chalicelib.http.edge).
SAME_SITE = {"Origin": f"https://{HOST}", "Host": HOST}
# Where the new-event form sends the organiser once the event is made.
EDIT_LOCATION = re.compile(r"^/admin/events/(ev-[^/]+)/edit\?done=created$")


def header(response, name):
    """The response's header ``name`` (any case), or None."""
    return {key.lower(): value for key, value in response.headers.items()}.get(name.lower())


def session_cookie(caller) -> dict[str, str]:
    """The Cookie header of the caller's browser session; none for no caller or a caller without a session."""
    return {"Cookie": f"session={caller.token}"} if caller is not None and caller.token else {}


def get_page(client, path, caller=None, **headers):
    """A page as the caller's browser asks for it on this site."""
    return client.http.get(path, headers={"Host": HOST, **session_cookie(caller), **headers})


def post_form(client, path, caller, fields, **headers):
    """A form post as a browser sends it from this site: with the Origin header naming the host."""
    base = {"Content-Type": FORM, **SAME_SITE, **session_cookie(caller)}
    return client.http.post(path, headers={**base, **headers}, body=urlencode(fields, doseq=True))


def member_fields(member, **changes):
    """The member edit form as the page fills it in for ``member``, with ``changes``."""
    return {**member_form(member), **changes}


def local_input(moment) -> str:
    """``moment`` as a datetime-local input sends it: China time, to the minute."""
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%dT%H:%M")


def china_day(days, hour=9) -> datetime:
    """A China-time moment ``days`` from today at ``hour`` o'clock (minute precision, as the inputs send)."""
    today = now().date() + timedelta(days=days)
    return datetime(today.year, today.month, today.day, hour, 0, tzinfo=CHINA_TZ)


def create_event_by_form(client, caller, fields) -> str:
    """The caller posts the new-event form with ``fields``; the new event's id (the post must succeed)."""
    response = post_form(client, "/admin/events/new", caller, fields)
    assert response.status_code == 303, response.body.decode()[:3000]
    match = EDIT_LOCATION.match(header(response, "Location"))
    assert match, header(response, "Location")
    return match.group(1)
