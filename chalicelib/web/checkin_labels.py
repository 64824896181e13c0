"""The message ids of the check-in pages' words for a value (how someone checked in, a conflict's kind, how an
event takes attendance) and the texts the scanning station's script shows, written out in tables so that every id
is found by extraction (none is built at run time).

Templates get this module as ``labels`` (``t(labels.CONFLICT[row.conflict.kind])``); tables are keyed by the
StrEnum members, which a plain string finds too.
"""

from __future__ import annotations

from chalicelib.domain.checkin import Verdict
from chalicelib.domain.records import CheckinMethod, ConflictKind
from chalicelib.i18n import N_

# How a member checked in, in their own words (my attendance) ...
MY_METHOD = {
    CheckinMethod.SCAN: N_("checkin.member.method.scan"),
    CheckinMethod.MANUAL: N_("checkin.member.method.manual"),
    CheckinMethod.SELF: N_("checkin.member.method.self"),
}
# ... and in the organisers' (the attendance page's log).
METHOD = {
    CheckinMethod.SCAN: N_("checkin.manage.method.scan"),
    CheckinMethod.MANUAL: N_("checkin.manage.method.manual"),
    CheckinMethod.SELF: N_("checkin.manage.method.self"),
}
CONFLICT = {
    ConflictKind.DOUBLE_ADMIT: N_("checkin.manage.conflict.double_admit"),
    ConflictKind.NOT_ADMITTED: N_("checkin.manage.conflict.not_admitted"),
    ConflictKind.UNKNOWN: N_("checkin.manage.conflict.unknown"),
}
# How the event takes attendance: per session, per checkpoint, or once at the entry.
POINT_KIND = {
    "sessions": N_("checkin.manage.points.sessions"),
    "checkpoints": N_("checkin.manage.points.checkpoints"),
    "entry": N_("checkin.manage.points.entry"),
}
# Texts the station's script shows itself (offline verdicts, sync state ...), by the name the script uses.
# Verdicts the station's script words itself when it judges a code offline, by the name the script uses: worded as
# the server words them (chalicelib.domain.checkin.VERDICT_MESSAGES).
STATION_VERDICTS = {"unknown": Verdict.UNKNOWN, "revoked": Verdict.REVOKED, "ticket_stale": Verdict.TICKET_STALE}
STATION_SCRIPT = {
    "ready": N_("checkin.station.ready"),
    "checking": N_("checkin.station.checking"),
    "online": N_("checkin.station.online"),
    "online_unsynced": N_("checkin.station.online_unsynced"),
    "online_pending": N_("checkin.station.online_pending"),
    "offline": N_("checkin.station.offline"),
    "uploading": N_("checkin.station.uploading"),
    "uploaded": N_("checkin.station.uploaded"),
    "upload_failed": N_("checkin.station.upload_failed"),
    "offline_admitted": N_("checkin.station.offline_admitted"),
    "offline_already": N_("checkin.station.offline_already"),
    "offline_unknown": N_("checkin.station.offline_unknown"),
    "offline_not_registered": N_("checkin.station.offline_not_registered"),
    "offline_insecure": N_("checkin.station.offline_insecure"),
    "no_list": N_("checkin.station.no_list"),
    "queued": N_("checkin.station.queued"),
    "already_detail": N_("checkin.station.already_detail"),
    "this_station": N_("checkin.station.this_station"),
    "failed": N_("checkin.station.failed"),
    "scope_series": N_("checkin.station.scope_series"),
    "lookup_none": N_("checkin.station.lookup_none"),
    "lookup_admit": N_("checkin.station.lookup_admit"),
    "lookup_arrived": N_("checkin.station.lookup_arrived"),
    "camera_start": N_("checkin.station.camera_start"),
    "camera_stop": N_("checkin.station.camera_stop"),
    "camera_failed": N_("checkin.station.camera_failed"),
    "device_default": N_("checkin.station.device_default"),
}
