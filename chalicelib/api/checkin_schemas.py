"""Request and response models of check-in, shared by the JSON API and the pages."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from chalicelib.domain.checkin import (
    MAX_CODE_CHARS,
    POINT_ID,
    UNDO_REASON_MAX,
    VENUE_STEP_MAX,
    VENUE_STEP_MIN,
    VENUE_STEP_SECONDS,
)
from chalicelib.domain.checkin_codes import RADIUS_MAX_M, RADIUS_MIN_M
from chalicelib.domain.records import CheckinMethod, CheckinSettings, Checkpoint, ConflictKind, RegistrationState
from chalicelib.http.schemas import ApiModel, InputModel, Moment, QueryModel

PointId = Annotated[str, Field(min_length=1, max_length=24, pattern=POINT_ID.pattern)]
# A station makes its own scan ids (a UUID); they only need to be unique per event.
ScanId = Annotated[str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
StationName = Annotated[str, Field(max_length=40)]
Code = Annotated[str, Field(max_length=MAX_CODE_CHARS)]
StaffNo = Annotated[str, Field(min_length=1, max_length=20)]


def code_or_staff_no(scan: "ScanIn | OfflineScanIn") -> "ScanIn | OfflineScanIn":
    """A scan names its member by exactly one of a scanned code and a 工号 (online and offline scans alike)."""
    if (scan.code is None) == (scan.staff_no is None):
        raise PydanticCustomError("code_or_staff_no", "send either a code or a 工号")
    return scan


class ScanIn(InputModel):
    """A scanned code, or a 工号 from the manual look-up; exactly one of them."""

    point: PointId
    scan_id: ScanId
    code: Code | None = None
    staff_no: StaffNo | None = None
    station: StationName | None = None
    confirm_outside_window: bool = Field(
        default=False, description="The organiser confirmed a check-in outside the point's check-in window."
    )

    _one_of = model_validator(mode="after")(code_or_staff_no)


class OfflineScanIn(InputModel):
    scan_id: ScanId
    point: PointId
    at: Moment = Field(description="When the station admitted the member (its own clock).")
    code: Code | None = None
    staff_no: StaffNo | None = None
    confirm_outside_window: bool = Field(
        default=False, description="Confirmed at the station; without it a scan made outside the window is refused."
    )

    _one_of = model_validator(mode="after")(code_or_staff_no)


class UploadIn(InputModel):
    station: StationName | None = None
    scans: list[OfflineScanIn] = Field(min_length=1, max_length=200)


class UndoIn(InputModel):
    """Remove a mistaken check-in: the member (工号) at a point, and why (kept in the audit log)."""

    point: PointId
    staff_no: StaffNo
    reason: Annotated[str, Field(min_length=1, max_length=UNDO_REASON_MAX)]


class CheckInOut(ApiModel):
    point: str
    at: datetime
    by: str = Field(description="工号 of whoever checked the member in (the member themself for self check-in).")
    method: CheckinMethod
    station: str | None
    offline: bool
    by_name: str | None = Field(
        default=None,
        description='Their name, as stations show it ("already checked in at 08:05 by 王老师 · 东门"); null for '
        "check-ins recorded before names were kept: show `by`.",
    )


class CheckedInByOut(ApiModel):
    by: str = Field(description="工号 of whoever checked the member in.")
    by_name: str = Field(description="Their name (their 工号 when the app does not know it).")
    station: str | None


class VerdictOut(ApiModel):
    verdict: Literal[
        "admitted",
        "already",
        "not_admitted",
        "wrong_event",
        "wrong_point",
        "revoked",
        "unknown",
        "outside_window",
        "expired",
        "not_registered",
        "ticket_stale",
        "location_needed",
        "location_denied",
        "too_far",
    ]
    tone: Literal["ok", "warn", "bad"] = Field(description="green, amber or red on the station's screen")
    message: str = Field(description="The verdict in the request's language.")
    point: str
    staff_no: str | None = None
    name: str | None = None
    unit_name: str | None = None
    scope: str | None = None
    state: RegistrationState | None = None
    check_in: CheckInOut | None = Field(default=None, description="admitted: this check-in; already: the first one")
    replayed: bool = False
    window_opens_at: datetime | None = Field(default=None, description="outside_window: when the point opens")
    window_closes_at: datetime | None = Field(default=None, description="outside_window: when the point closes")


class UploadResultOut(ApiModel):
    scan_id: str
    outcome: Literal["recorded", "replayed", "conflict", "refused"]
    verdict: str


class UploadOut(ApiModel):
    results: list[UploadResultOut]


class PointOut(ApiModel):
    point: str
    name: str
    starts_at: datetime
    ends_at: datetime


class StationEntryOut(ApiModel):
    digest: str = Field(description="SHA-256 of the ticket, first 32 hex digits: verifies a code offline.")
    staff_no: str
    name: str
    unit_name: str
    scope: str
    live_key: str | None = Field(
        default=None, description="Live tickets only: the key that verifies this registration's current code offline."
    )


class StationListOut(ApiModel):
    event_id: str
    title: str
    point: str
    points: list[PointOut]
    allowed: list[str]
    entries: list[StationEntryOut]
    checked_in: dict[str, datetime] = Field(description="工号 → when, at this point")
    checked_in_by: dict[str, CheckedInByOut] = Field(
        default_factory=dict,
        description='工号 → who checked them in at this point, and where: offline, "already" names them as online.',
    )
    revoked: list[str] = Field(
        default_factory=list,
        description="Digests (as `digest`) of tickets replaced by a new one: offline, such a code is 'revoked', "
        "not 'unknown'. Digests only: nothing about whose they were.",
    )
    synced_at: datetime
    live_tickets: bool = Field(
        default=False, description="Only a live ticket's current code admits (not the plain one)."
    )


class CountOut(ApiModel):
    point: str
    checked_in: int


class PointQuery(QueryModel):
    point: PointId


class LookupQuery(QueryModel):
    point: PointId
    q: Annotated[str, Field(min_length=1, max_length=40)]


class LookupEntryOut(ApiModel):
    staff_no: str
    name: str
    unit_name: str
    scope: str
    state: RegistrationState
    checked_in_at: datetime | None


class LookupOut(ApiModel):
    entries: list[LookupEntryOut]


class TicketOut(ApiModel):
    event_id: str
    event_title: str
    scope: str
    name: str
    url: str = Field(description="What the QR code encodes: open it to check in (staff) or to see the ticket.")
    live_key: str | None = Field(
        default=None,
        description="Live tickets only: show url?r=<step>.<mac>, step = Unix time // 30, mac = the first 16 hex digits "
        "of HMAC-SHA256(live_key as bytes, '<ticket>.<step>'); the plain url is refused.",
    )


class QrQuery(QueryModel):
    format: Literal["png", "svg"] = "png"


class CheckpointIn(InputModel):
    point: PointId
    name_zh: Annotated[str, Field(min_length=1, max_length=30)]
    name_en: Annotated[str, Field(max_length=40)] | None = None


class CheckinSettingsIn(InputModel):
    checkpoints: list[CheckpointIn] = Field(default_factory=list, max_length=12)
    completion_percent: int = Field(default=80, ge=1, le=100)
    self_checkin: bool = False
    self_opens_minutes: int = Field(default=30, ge=0, le=24 * 60)
    self_closes_minutes: int = Field(default=0, ge=0, le=24 * 60)
    venue_code_seconds: int = Field(default=VENUE_STEP_SECONDS, ge=VENUE_STEP_MIN, le=VENUE_STEP_MAX)
    location_check: bool = False
    venue_lat: float | None = Field(default=None, ge=-90, le=90)
    venue_lng: float | None = Field(default=None, ge=-180, le=180)
    venue_radius_m: int = Field(default=200, ge=RADIUS_MIN_M, le=RADIUS_MAX_M)
    live_tickets: bool = False

    def settings(self) -> CheckinSettings:
        """The settings record (used by the API route and the check-in page)."""
        return CheckinSettings(
            checkpoints=tuple(Checkpoint(c.point, c.name_zh, c.name_en) for c in self.checkpoints),
            completion_percent=self.completion_percent,
            self_checkin=self.self_checkin,
            self_opens_minutes=self.self_opens_minutes,
            self_closes_minutes=self.self_closes_minutes,
            venue_code_seconds=self.venue_code_seconds,
            location_check=self.location_check,
            venue_lat=self.venue_lat,
            venue_lng=self.venue_lng,
            venue_radius_m=self.venue_radius_m,
            live_tickets=self.live_tickets,
        )


class CheckinSettingsOut(CheckinSettingsIn):
    points: list[PointOut]


class StaffIn(InputModel):
    staff_no: StaffNo
    points: list[PointId] = Field(default_factory=list, max_length=100, description="Empty: every point.")


class StaffOut(ApiModel):
    staff_no: str
    name: str
    unit_name: str
    points: list[str] = Field(description="Empty: every point.")
    granted_by: str
    granted_at: datetime


class StaffList(ApiModel):
    staff: list[StaffOut]


class VenueCodeOut(ApiModel):
    point: str
    url: str = Field(description="What the venue's QR code encodes; accepted only until the next one is due.")
    expires_at: datetime = Field(description="When the screen should show the next code.")
    seconds: int = Field(description="How often the code changes (the event's venue_code_seconds).")


class VenueCheckInIn(InputModel):
    code: Code
    scan_id: ScanId
    venue_pass: Annotated[str, Field(max_length=48)] | None = Field(
        default=None, description="The self check-in page's pass: when this member opened the code (it was current)."
    )
    lat: float | None = Field(default=None, ge=-90, le=90, description="The member's position (location check).")
    lng: float | None = Field(default=None, ge=-180, le=180)
    accuracy: float | None = Field(default=None, ge=0, le=100_000, description="metres, as the browser reports it")
    location_error: Literal["denied", "unavailable"] | None = Field(
        default=None, description="Why the browser gave no position."
    )


class MemberLineOut(ApiModel):
    staff_no: str
    name: str
    unit_name: str
    expected: list[str]
    attended: list[str]
    percent: int
    completed: bool


class UnitAttendanceOut(ApiModel):
    unit_id: str
    unit_name: str
    registered: int
    attended: int
    completed: int


class ConflictOut(ApiModel):
    scan_id: str
    kind: ConflictKind
    point: str
    at: datetime
    by: str
    station: str | None
    staff_no: str | None
    name: str | None
    details: dict


class AttendanceOut(ApiModel):
    event_id: str
    points: list[PointOut]
    completion: Literal["share", "all"]
    completion_percent: int
    members: list[MemberLineOut]
    units: list[UnitAttendanceOut]
    conflicts: list[ConflictOut]


class AttendanceExportQuery(QueryModel):
    format: Literal["xlsx", "csv"] = "xlsx"


class MyCheckInOut(ApiModel):
    event_id: str
    event_title: str
    point: str
    at: datetime
    method: CheckinMethod


class MyAttendanceOut(ApiModel):
    check_ins: list[MyCheckInOut]


class UndoneOut(ApiModel):
    staff_no: str
    name: str
    removed: CheckInOut = Field(description="The check-in that was removed.")
    checked_in: int = Field(description="How many are checked in at the point now.")
