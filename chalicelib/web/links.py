"""Addresses of pages that pages of other route groups link to.

Plain string functions, so that a page links to another group's page without loading that group's module: a cold
request loads only its own group (chalicelib.http.lazy; docs/architecture.md, "Cold start"). No new import of one
route group by another is let in (tests/unit/test_route_groups.py lists the few left).
"""

from urllib.parse import quote, urlencode


def competition_href(event_id: str, tail: str = "") -> str:
    """A public competition page's address: the page itself, or one below it (``/board``, ``/entries/...``)."""
    return f"/events/{quote(event_id, safe='')}/competition{tail}"


def entry_href(event_id: str, entry_id: str) -> str:
    """An entry's fixtures page (a team, a pair or a member)."""
    return competition_href(event_id, f"/entries/{quote(entry_id, safe='')}")


def board_href(event_id: str, court: str | None = None) -> str:
    """The court board of one court, or the overview of every court."""
    return competition_href(event_id, f"/board/{quote(court, safe='')}" if court else "/board")


def order_of_play_href(event_id: str, court: str | None = None) -> str:
    return competition_href(event_id, "/order-of-play" + (f"?court={quote(court, safe='')}" if court else ""))


def lineup_path(event_id: str, stage_id: str, match_id: str, side: str | None = None) -> str:
    path = (
        f"/events/{quote(event_id, safe='')}/competition/lineup/{quote(stage_id, safe='')}/{quote(match_id, safe='')}"
    )
    return f"{path}?side={side}" if side else path


def registration_calendar_href(event_id: str, scope: str) -> str:
    """Where a member's registration's .ics is (linked from "my registrations" and the ticket)."""
    return f"/me/registrations/{quote(event_id, safe='')}/{quote(scope, safe='')}/calendar.ics"


def certificates_href(event_id: str, entry_id: str | None = None) -> str:
    """The organisers' (and unit admins') certificates of an event, or one entry's."""
    path = f"/admin/events/{quote(event_id, safe='')}/competition/certificates"
    return f"{path}?{urlencode({'entry': entry_id})}" if entry_id else path


def my_certificates_href(event_id: str | None = None) -> str:
    return f"/me/certificates?{urlencode({'event': event_id})}" if event_id else "/me/certificates"


def booklet_href(event_id: str) -> str:
    return f"/events/{quote(event_id, safe='')}/competition/booklet"


def undo_path(event_id: str, point_id: str, staff_no: str | None = None, **extra: str) -> str:
    """The undo page of a point; with ``staff_no``, its confirm step for that member."""
    query = {"point": point_id} | ({"staff_no": staff_no} if staff_no else {}) | extra
    return f"/events/{quote(event_id)}/checkin/undo?" + urlencode(query)
