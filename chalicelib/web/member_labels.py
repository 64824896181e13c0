"""The message ids of the member and admin pages' words for a value (a gender, a status, a role, a field of the
change log...), written out in tables so that every id is found by extraction (none is built at run time).

Templates get this module as ``labels`` (``t(labels.MEMBER_STATUS[member.status])``); tables are keyed by the
StrEnum members, which a plain string finds too.

GENDER and EVENT_KIND are the one table of those values' words for every page (the organisers' manage_labels and
the members' events.wording import them from here).
"""

from __future__ import annotations

from chalicelib.domain.records import EventKind, Gender, MemberStatus
from chalicelib.i18n import N_

GENDER: dict[str, str] = {Gender.FEMALE: N_("member.gender.F"), Gender.MALE: N_("member.gender.M")}
MEMBER_STATUS = {
    MemberStatus.ACTIVE: N_("member.status.active"),
    MemberStatus.RETIRED: N_("member.status.retired"),
    MemberStatus.LEFT: N_("member.status.left"),
}
# A member's fields by name (the profile, the edit form, the fields a damaged record could not read).
MEMBER_FIELD = {
    "staff_no": N_("member.field.staff_no"),
    "name": N_("member.field.name"),
    "gender": N_("member.field.gender"),
    "birth_date": N_("member.field.birth_date"),
    "unit_id": N_("member.field.unit_id"),
    "phone": N_("member.field.phone"),
    "email": N_("member.field.email"),
    "status": N_("member.field.status"),
}
ROLE = {
    "member": N_("role.member"),
    "unit_admin": N_("role.unit_admin"),
    "union_admin": N_("role.union_admin"),
}
EVENT_KIND: dict[str, str] = {
    EventKind.SPORTS: N_("event.kind.sports"),
    EventKind.SKILLS: N_("event.kind.skills"),
    EventKind.WELLNESS: N_("event.kind.wellness"),
}

# The change log: what an entry's action was ...
AUDIT_ACTION = {
    "member.update": N_("audit.action.member.update"),
    "roster.import": N_("audit.action.roster.import"),
    "unit.create": N_("audit.action.unit.create"),
    "unit.update": N_("audit.action.unit.update"),
    "unit.admins": N_("audit.action.unit.admins"),
    "event.create": N_("audit.action.event.create"),
    "event.update": N_("audit.action.event.update"),
    "event.published": N_("audit.action.event.published"),
    "event.registration_open": N_("audit.action.event.registration_open"),
    "event.registration_closed": N_("audit.action.event.registration_closed"),
    "event.running": N_("audit.action.event.running"),
    "event.finished": N_("audit.action.event.finished"),
    "event.cancelled": N_("audit.action.event.cancelled"),
    "registration.add": N_("audit.action.registration.add"),
    "registration.remove": N_("audit.action.registration.remove"),
}
# ... and the words for the keys of its before/after values: a member's field, a unit's field, a roster import's
# summary (the words the log has always used for these keys; a key not listed is shown as it is).
AUDIT_KEY = {
    **MEMBER_FIELD,
    "title": N_("admin.units.title"),
    "count": N_("admin.units.count"),
    "create": N_("admin.units.create"),
    "unit_id_hint": N_("admin.units.unit_id_hint"),
    "name_zh": N_("admin.units.name_zh"),
    "name_en": N_("admin.units.name_en"),
    "short_name": N_("admin.units.short_name"),
    "campus": N_("admin.units.campus"),
    "position": N_("admin.units.position"),
    "position_hint": N_("admin.units.position_hint"),
    "create_submit": N_("admin.units.create_submit"),
    "created": N_("admin.units.created"),
    "exists": N_("admin.units.exists"),
    "admins": N_("admin.units.admins"),
    "set_admins": N_("admin.units.set_admins"),
    "admins_input": N_("admin.units.admins_input"),
    "admins_hint": N_("admin.units.admins_hint"),
    "admins_submit": N_("admin.units.admins_submit"),
    "admins_saved": N_("admin.units.admins_saved"),
    "admins_conflict": N_("admin.units.admins_conflict"),
    "created_or_updated": N_("audit.field.created_or_updated"),
    "staff_nos": N_("audit.field.staff_nos"),
}
