"""Check-in: member tickets (QR codes), scanning stations online and offline, venue self check-in, check-in staff,
settings and attendance."""

from __future__ import annotations

from chalice import Response

from chalicelib.api.checkin_schemas import (
    AttendanceExportQuery,
    AttendanceOut,
    CheckedInByOut,
    CheckinSettingsIn,
    CheckinSettingsOut,
    CheckpointIn,
    ConflictOut,
    CountOut,
    LookupEntryOut,
    LookupOut,
    LookupQuery,
    MemberLineOut,
    MyAttendanceOut,
    MyCheckInOut,
    PointOut,
    PointQuery,
    QrQuery,
    ScanIn,
    StaffIn,
    StaffList,
    StaffOut,
    StationEntryOut,
    StationListOut,
    TicketOut,
    UndoIn,
    UndoneOut,
    UnitAttendanceOut,
    UploadIn,
    UploadOut,
    UploadResultOut,
    VenueCheckInIn,
    VenueCodeOut,
    VerdictOut,
)
from chalicelib.api.checkin_shaping import (
    check_in_out,
    point_name,
    staff_out,
    venue_proof,
    verdict_out,
    verdict_unit_names,
)
from chalicelib.domain.access import Access, Principal, can_manage_event
from chalicelib.domain.calendar import now
from chalicelib.domain.checkin import (
    VENUE_PATH,
    CheckinPoint,
    completion_rule,
    ticket_digest,
    ticket_url,
    unit_attendance,
)
from chalicelib.domain.records import CheckIn, Event, Registration
from chalicelib.errors import NotFound
from chalicelib.http.context import request_language
from chalicelib.http.media import CSV_TYPE, PNG_TYPE, SVG_TYPE, XLSX_TYPE
from chalicelib.http.routing import ApiRoutes
from chalicelib.services import checkin as checkin_service
from chalicelib.services import checkin_live, checkin_views, organisation_views
from chalicelib.services.checkin import Scan
from chalicelib.settings import get_settings
from chalicelib.storage import get_store

routes = ApiRoutes(__name__, tag="checkin")

# What groups of routes share, declared once: a member's own ticket; the scanning stations and their settings
# (the event's organisers and check-in staff, who are members); the organisers' staff, settings and attendance.
my_ticket_route = routes.sharing(access=Access.MEMBER, response=TicketOut, errors=(404, 409))
station_route = routes.sharing(access=Access.MEMBER, errors=(404,))
organiser_route = routes.sharing(access=Access.UNIT_ADMIN, errors=(404,))


def points_out(points: list[CheckinPoint], language: str) -> list[PointOut]:
    return [
        PointOut(point=p.point_id, name=point_name(p, language), starts_at=p.starts_at, ends_at=p.ends_at)
        for p in points
    ]


def checked_in_by_out(check_ins: list[CheckIn], names: dict[str, str]) -> dict[str, CheckedInByOut]:
    """Who checked each member in, by name (``names``: chalicelib.services.checkin_views.checked_in_by)."""
    return {c.staff_no: CheckedInByOut(by=c.by, by_name=names.get(c.by, c.by), station=c.station) for c in check_ins}


def settings_out(event: Event, points: list[CheckinPoint], language: str) -> CheckinSettingsOut:
    settings = event.checkin
    return CheckinSettingsOut(
        checkpoints=[
            CheckpointIn(point=c.point_id, name_zh=c.name_zh, name_en=c.name_en) for c in settings.checkpoints
        ],
        completion_percent=settings.completion_percent,
        self_checkin=settings.self_checkin,
        self_opens_minutes=settings.self_opens_minutes,
        self_closes_minutes=settings.self_closes_minutes,
        venue_code_seconds=settings.venue_code_seconds,
        location_check=settings.location_check,
        venue_lat=settings.venue_lat,
        venue_lng=settings.venue_lng,
        venue_radius_m=settings.venue_radius_m,
        live_tickets=settings.live_tickets,
        points=points_out(points, language),
    )


# ---- member tickets --------------------------------------------------------------------------------------------


@my_ticket_route("/me/tickets/{event_id}/{scope}", summary="My ticket for a registration")
def my_ticket(principal: Principal, event_id: str, scope: str) -> TicketOut:
    """Only for a registration that holds a place (confirmed, a confirmed pair's partner, on a team's roster).
    The URL carries 128 random bits and nothing personal; it stops working when the registration ends."""
    event, registration = checkin_service.my_ticket(get_store(), principal, event_id, scope)
    return _ticket_out(event, scope, registration)


@routes.route(
    "/me/tickets/{event_id}/{scope}/qr",
    access=Access.MEMBER,
    summary="My ticket's QR code as PNG or SVG",
    query=QrQuery,
    content_types=("application/json",),
    errors=(404, 406, 409),
)
def my_ticket_qr(principal: Principal, event_id: str, scope: str, query: QrQuery) -> Response:
    """PNG is binary: send ``Accept: image/png`` (or ``*/*``); API Gateway passes binary bodies only when the
    first Accept value is a binary type. Other Accept values get 406. SVG is text and needs no care."""
    from chalicelib.http.qr import qr_png, qr_svg  # qrcode loads only here

    event, registration = checkin_service.my_ticket(get_store(), principal, event_id, scope)
    url = _ticket_code(event, registration)
    headers = {"Cache-Control": "private, no-store"}
    if query.format == "svg":
        return Response(body=qr_svg(url), headers={"Content-Type": SVG_TYPE, **headers})
    return Response(body=qr_png(url), headers={"Content-Type": PNG_TYPE, **headers})


@my_ticket_route(
    "/me/tickets/{event_id}/{scope}/replace", method="POST", summary="Replace my ticket (the old code stops working)"
)
def replace_my_ticket(principal: Principal, event_id: str, scope: str) -> TicketOut:
    store = get_store()
    registration = checkin_service.replace_ticket(store, principal, event_id, scope, now())
    event = checkin_views.known_event(store, event_id)
    if event is None:  # deleted in between
        raise NotFound()
    return _ticket_out(event, scope, registration)


def _ticket_out(event: Event, scope: str, registration: Registration) -> TicketOut:
    ticket = registration.ticket or ""
    return TicketOut(
        event_id=event.event_id,
        event_title=event.title_zh,
        scope=scope,
        name=registration.name,
        url=ticket_url(_base_url(), ticket),
        live_key=checkin_live.ticket_live_key(ticket) if event.checkin.live_tickets else None,
    )


def _ticket_code(event: Event, registration: Registration) -> str:
    """What the ticket's QR code holds now: the plain ticket URL, or a live ticket's current code."""
    if event.checkin.live_tickets:
        return checkin_live.current_code(_base_url(), registration.ticket or "", now())
    return ticket_url(_base_url(), registration.ticket or "")


def _base_url() -> str:
    from chalicelib.http.qr import absolute_url

    return absolute_url(routes.current_request, "")


# ---- scanning stations -----------------------------------------------------------------------------------------


@station_route(
    "/events/{event_id}/checkin",
    method="POST",
    summary="Check a member in (a scanned code or a 工号)",
    body=ScanIn,
    response=VerdictOut,
)
def check_in(principal: Principal, event_id: str, body: ScanIn) -> VerdictOut:
    """For the event's organisers and check-in staff. Always answers with a verdict (admitted, already checked in
    — when and by whom —, not admitted, wrong event or session, unknown code); two stations scanning one code at
    the same moment admit it once. Sending the same ``scan_id`` again returns the first answer (``replayed``)."""
    scan = Scan(body.scan_id, body.point, code=body.code, staff_no=body.staff_no, confirmed=body.confirm_outside_window)
    result = checkin_service.check_in(get_store(), principal, event_id, scan, body.station, now())
    return verdict_out(result, request_language(routes.current_request), verdict_unit_names(result))


@station_route(
    "/events/{event_id}/checkin/upload",
    method="POST",
    summary="Upload check-ins made offline",
    body=UploadIn,
    response=UploadOut,
)
def upload(principal: Principal, event_id: str, body: UploadIn) -> UploadOut:
    """Idempotent per ``scan_id``: an upload sent twice records nothing new. A check-in that cannot simply be
    recorded — the member was admitted at another station first, or the registration ended meanwhile — is kept
    as a conflict for the organiser."""
    scans = [
        Scan(s.scan_id, s.point, code=s.code, staff_no=s.staff_no, at=s.at, confirmed=s.confirm_outside_window)
        for s in body.scans
    ]
    results = checkin_service.upload(get_store(), principal, event_id, scans, body.station, now())
    return UploadOut(
        results=[UploadResultOut(scan_id=r.scan_id, outcome=r.outcome, verdict=r.verdict.value) for r in results]
    )


@station_route(
    "/events/{event_id}/checkin/list",
    summary="The check-in list a station keeps for offline scanning",
    query=PointQuery,
    response=StationListOut,
)
def station_list(principal: Principal, event_id: str, query: PointQuery) -> StationListOut:
    """Only what verification needs: a digest of each ticket (not the ticket), 工号, name, unit and scope. No phone
    numbers, no tickets: a lost phone's list cannot be turned into codes."""
    store = get_store()
    found = checkin_service.station_list(store, principal, event_id, query.point)
    language = request_language(routes.current_request)
    names = organisation_views.unit_names(get_store(), "zh")
    live = found.station.event.checkin.live_tickets
    return StationListOut(
        event_id=event_id,
        title=found.station.event.title_zh,
        point=query.point,
        points=points_out(found.station.points, language),
        allowed=found.station.allowed,
        entries=[
            StationEntryOut(
                digest=ticket_digest(r.ticket or ""),
                staff_no=r.staff_no,
                name=r.name,
                unit_name=names.get(r.unit_id, r.unit_id),
                scope=r.scope,
                live_key=checkin_live.ticket_live_key(r.ticket) if live else None,
            )
            for r in found.entries
            if r.ticket
        ],
        checked_in={c.staff_no: c.at for c in found.checked_in},
        checked_in_by=checked_in_by_out(found.checked_in, checkin_views.checked_in_by(store, found.checked_in, [])),
        revoked=found.revoked,
        synced_at=now(),
        live_tickets=live,
    )


@station_route(
    "/events/{event_id}/checkin/count",
    summary="How many are checked in at a point",
    query=PointQuery,
    response=CountOut,
)
def count(principal: Principal, event_id: str, query: PointQuery) -> CountOut:
    total = checkin_service.checked_in_count(get_store(), principal, event_id, query.point)
    return CountOut(point=query.point, checked_in=total)


@station_route(
    "/events/{event_id}/checkin/lookup",
    summary="Find registrations by 工号 or name (people without their phone)",
    query=LookupQuery,
    response=LookupOut,
)
def look_up(principal: Principal, event_id: str, query: LookupQuery) -> LookupOut:
    store = get_store()
    found = checkin_service.look_up(store, principal, event_id, query.point, query.q)
    arrived = checkin_views.arrivals(store, event_id, query.point) if found else {}
    names = organisation_views.unit_names(get_store(), "zh")
    return LookupOut(
        entries=[
            LookupEntryOut(
                staff_no=r.staff_no,
                name=r.name,
                unit_name=names.get(r.unit_id, r.unit_id),
                scope=r.scope,
                state=r.state,
                checked_in_at=arrived.get(r.staff_no),
            )
            for r in found
        ]
    )


@station_route(
    "/events/{event_id}/checkin/undo",
    method="POST",
    summary="Remove a mistaken check-in (撤销签到)",
    body=UndoIn,
    response=UndoneOut,
    errors=(404, 409),
)
def undo_check_in(principal: Principal, event_id: str, body: UndoIn) -> UndoneOut:
    """For the event's organisers and the point's check-in staff, with a reason (kept in the audit log), until 30
    days after the event ends (409 ``checkin_undo_closed``). 404 ``not_checked_in`` when the member is not checked in
    at the point (never, or removed already). The member may then be checked in again."""
    store = get_store()
    removed = checkin_service.undo_check_in(store, principal, event_id, body.point, body.staff_no, body.reason, now())
    total = checkin_service.checked_in_count(store, principal, event_id, body.point)
    return UndoneOut(staff_no=removed.staff_no, name=removed.name, removed=check_in_out(removed), checked_in=total)


# ---- venue self check-in ---------------------------------------------------------------------------------------


@station_route(
    "/events/{event_id}/checkin/venue-code",
    summary="The venue code to show on a screen now",
    query=PointQuery,
    response=VenueCodeOut,
    errors=(404, 409),
)
def venue_code(principal: Principal, event_id: str, query: PointQuery) -> VenueCodeOut:
    """Changes every ``venue_code_seconds`` (10-60, 30 by default) and is accepted only until the next one is due
    (give or take 3 seconds): a photo sent to a friend stops working."""
    from chalicelib.http.qr import absolute_url

    key = checkin_service.venue_key(get_settings().session_key)
    shown = checkin_service.venue_display(get_store(), principal, event_id, query.point, key, now())
    url = absolute_url(routes.current_request, f"{VENUE_PATH}{shown.code}")
    return VenueCodeOut(point=query.point, url=url, expires_at=shown.expires_at, seconds=shown.seconds)


@routes.route(
    "/checkin/venue",
    "POST",
    access=Access.MEMBER,
    summary="Check myself in with the venue code",
    body=VenueCheckInIn,
    response=VerdictOut,
)
def self_check_in(principal: Principal, body: VenueCheckInIn) -> VerdictOut:
    """Within the point's window only. The code must be current (``expired`` otherwise) when sent, or when this
    member opened it on the self check-in page (its ``venue_pass``). With the event's location check, send the
    browser's position (``lat``, ``lng``, ``accuracy``) or why there is none (``location_error``):
    ``location_needed``, ``location_denied`` or ``too_far`` otherwise."""
    key = checkin_service.venue_key(get_settings().session_key)
    proof = venue_proof(body)
    done = checkin_service.self_check_in(get_store(), principal, body.code, body.scan_id, key, now(), proof)
    return verdict_out(done.result, request_language(routes.current_request), verdict_unit_names(done.result))


# ---- staff, settings and attendance ----------------------------------------------------------------------------


@organiser_route(
    "/events/{event_id}/checkin/staff",
    summary="The event's check-in staff",
    response=StaffList,
)
def list_staff(principal: Principal, event_id: str) -> StaffList:
    _, roles = checkin_service.staff_of(get_store(), principal, event_id)
    names = organisation_views.unit_names(get_store(), "zh")
    return StaffList(staff=[staff_out(role, names) for role in roles])


@organiser_route(
    "/events/{event_id}/checkin/staff",
    method="PUT",
    summary="Name a member check-in staff (for every point or some)",
    body=StaffIn,
    response=StaffOut,
)
def name_staff(principal: Principal, event_id: str, body: StaffIn) -> StaffOut:
    role = checkin_service.name_staff(get_store(), principal, event_id, body.staff_no, body.points, now())
    return staff_out(role, organisation_views.unit_names(get_store(), "zh"))


@organiser_route(
    "/events/{event_id}/checkin/staff/{staff_no}",
    method="DELETE",
    summary="Remove a member from the check-in staff",
    status=204,
)
def remove_staff(principal: Principal, event_id: str, staff_no: str) -> Response:
    checkin_service.remove_staff(get_store(), principal, event_id, staff_no)
    return Response(body="", status_code=204)


@station_route(
    "/events/{event_id}/checkin/settings",
    summary="Check-in points and settings",
    response=CheckinSettingsOut,
)
def show_checkin_settings(principal: Principal, event_id: str) -> CheckinSettingsOut:
    found = checkin_service.station(get_store(), principal, event_id)
    return settings_out(found.event, found.points, request_language(routes.current_request))


@organiser_route(
    "/events/{event_id}/checkin/settings",
    method="PUT",
    summary="Set checkpoints, the completion threshold and venue self check-in",
    body=CheckinSettingsIn,
    response=CheckinSettingsOut,
    errors=(404, 409),
)
def set_checkin_settings(principal: Principal, event_id: str, body: CheckinSettingsIn) -> CheckinSettingsOut:
    store = get_store()
    checkin_service.set_settings(store, principal, event_id, body.settings(), now())
    found = checkin_service.station(store, principal, event_id)
    return settings_out(found.event, found.points, request_language(routes.current_request))


@organiser_route(
    "/events/{event_id}/attendance",
    summary="Attendance: per member, per unit, and conflicts to look at",
    response=AttendanceOut,
)
def attendance(principal: Principal, event_id: str) -> AttendanceOut:
    """The organisers see every member and the conflicts; a unit admin sees their units' members."""
    report = checkin_service.attendance(get_store(), principal, event_id)
    language = request_language(routes.current_request)
    names = organisation_views.unit_names(get_store(), "zh")
    return AttendanceOut(
        event_id=event_id,
        points=points_out(report.points, language),
        completion=completion_rule(report.points).value,
        completion_percent=report.event.checkin.completion_percent,
        members=[
            MemberLineOut(
                staff_no=line.staff_no,
                name=line.name,
                unit_name=names.get(line.unit_id, line.unit_id),
                expected=list(line.expected),
                attended=list(line.attended),
                percent=line.percent,
                completed=line.completed,
            )
            for line in report.lines
        ],
        units=[
            UnitAttendanceOut(unit_name=names.get(u.unit_id, u.unit_id), **u._asdict())
            for u in unit_attendance(report.lines)
        ],
        conflicts=[
            ConflictOut(
                scan_id=c.scan_id,
                kind=c.kind,
                point=c.point_id,
                at=c.at,
                by=c.by,
                station=c.station,
                staff_no=c.staff_no,
                name=c.name,
                details=c.details,
            )
            for c in report.conflicts
        ],
    )


@routes.route(
    "/me/attendance",
    access=Access.MEMBER,
    summary="My check-ins",
    response=MyAttendanceOut,
)
def my_attendance(principal: Principal) -> MyAttendanceOut:
    found = checkin_service.my_attendance(get_store(), principal)
    return MyAttendanceOut(
        check_ins=[
            MyCheckInOut(
                event_id=c.event_id,
                event_title=event.title_zh if event else c.event_id,
                point=c.point_id,
                at=c.at,
                method=c.method,
            )
            for c, event in found
        ]
    )


@organiser_route(
    "/events/{event_id}/attendance/export",
    summary="Attendance as XLSX or CSV",
    query=AttendanceExportQuery,
)
def export_attendance(principal: Principal, event_id: str, query: AttendanceExportQuery) -> Response:
    """XLSX: every check-in (when, where, by whom), per member, no-shows per point, per unit and — for the
    organisers — conflicts. CSV: the per-member summary, UTF-8 with BOM so that Excel opens the Chinese. A unit
    admin of another unit gets their own units' members only, as on the attendance page."""
    from chalicelib.services import attendance_export as export
    from chalicelib.services.registration_export import content_disposition

    store = get_store()
    report = checkin_service.attendance(store, principal, event_id)
    labels = {point.point_id: point_name(point, "zh") for point in report.points}
    body: str | bytes
    if query.format == "csv":
        body, content_type = (
            export.attendance_csv(report, organisation_views.unit_names(get_store(), "zh"), labels).decode("utf-8"),
            CSV_TYPE,
        )
    else:
        organiser = can_manage_event(principal, report.event.owner_unit_id)
        staff = checkin_views.checked_in_by(store, report.check_ins, report.conflicts)
        workbook = export.attendance_xlsx(
            report, organisation_views.unit_names(get_store(), "zh"), labels, organiser=organiser, staff_names=staff
        )
        body, content_type = workbook, XLSX_TYPE
    filename = export.export_filename(report.event, query.format)
    return Response(
        body=body, headers={"Content-Type": content_type, "Content-Disposition": content_disposition(filename)}
    )
