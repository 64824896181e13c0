"""How check-in results are shown: the check-in API and the station, ticket, undo and staff pages share these, so
a page does not load the check-in API's route group to show a verdict (tests/unit/test_route_groups.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from chalicelib.api.checkin_schemas import CheckInOut, StaffOut, VenueCheckInIn, VerdictOut
from chalicelib.domain.calendar import CHINA_TZ
from chalicelib.domain.checkin import VERDICT_MESSAGES, CheckinPoint, Verdict
from chalicelib.domain.checkin_codes import Position
from chalicelib.domain.language import localized
from chalicelib.domain.records import CheckIn, StaffRole
from chalicelib.i18n import state_label, translate
from chalicelib.services import cached_reads
from chalicelib.services import checkin as checkin_service
from chalicelib.services.checkin import ScanResult
from chalicelib.storage import get_store

_TONES: dict[Verdict, Literal["ok", "warn", "bad"]] = {Verdict.ADMITTED: "ok", Verdict.ALREADY: "warn"}


def verdict_unit_names(result: ScanResult) -> dict[str, str]:
    """The one unit a verdict names, read by key at most once a minute: a scan reads one unit, not the whole union."""
    unit = cached_reads.unit(get_store(), result.holder.unit_id) if result.holder else None
    return {unit.unit_id: unit.name_zh} if unit else {}


def point_name(point: CheckinPoint, language: str) -> str:
    """A session by its date and time, a checkpoint by its name, the single entry point as "entry"."""
    if point.session:
        return point.starts_at.astimezone(CHINA_TZ).strftime("%m-%d %H:%M")
    if point.name_zh:
        return localized(point, "name", language)
    return translate("checkin.point.entry", language)


def window_text(window: tuple[datetime, datetime]) -> str:
    """A check-in window as a station shows it: "09-23 18:30–21:00", or both dates when it spans days."""
    opens, closes = (moment.astimezone(CHINA_TZ) for moment in window)
    end = closes.strftime("%H:%M" if opens.date() == closes.date() else "%m-%d %H:%M")
    return f"{opens.strftime('%m-%d %H:%M')}–{end}"


def check_in_out(check_in: CheckIn) -> CheckInOut:
    return CheckInOut(
        point=check_in.point_id,
        at=check_in.at,
        by=check_in.by,
        method=check_in.method,
        station=check_in.station,
        offline=check_in.offline,
        by_name=check_in.by_name,
    )


def verdict_out(result: ScanResult, language: str, names: dict[str, str]) -> VerdictOut:
    """The verdict as a station shows it: tone, message, and who (never for another event's ticket)."""
    holder = result.holder
    state = holder.state if holder else None
    message = translate(
        VERDICT_MESSAGES[result.verdict],
        language,
        state=state_label(state.value, language) if state else "",
    )
    if result.window is not None:
        message = translate("checkin.verdict.outside_window_at", language, window=window_text(result.window))
    return VerdictOut(
        verdict=result.verdict.value,
        tone=_TONES.get(result.verdict, "bad"),
        message=message,
        point=result.point_id,
        staff_no=holder.staff_no if holder else None,
        name=holder.name if holder else None,
        unit_name=names.get(holder.unit_id, holder.unit_id) if holder else None,
        scope=holder.scope if holder else None,
        state=state,
        check_in=check_in_out(result.check_in) if result.check_in else None,
        replayed=result.replayed,
        window_opens_at=result.window[0] if result.window else None,
        window_closes_at=result.window[1] if result.window else None,
    )


def venue_proof(body: VenueCheckInIn) -> checkin_service.VenueProof:
    """What a self check-in sends besides the code (the API's body and the self check-in page's form alike)."""
    position = Position(body.lat, body.lng, body.accuracy) if body.lat is not None and body.lng is not None else None
    return checkin_service.VenueProof(body.venue_pass, position, body.location_error)


def staff_out(role: StaffRole, names: dict[str, str]) -> StaffOut:
    points = sorted(role_name.partition("@")[2] for role_name in role.roles if "@" in role_name)
    return StaffOut(
        staff_no=role.staff_no,
        name=role.name,
        unit_name=names.get(role.unit_id, role.unit_id),
        points=points,
        granted_by=role.granted_by,
        granted_at=role.granted_at,
    )
