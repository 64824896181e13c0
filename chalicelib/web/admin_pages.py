"""Admin pages: a unit's members and their activation codes, editing a member, roster import, sub-unions and
their admins, the change log. The same policy checks and store calls as the JSON API (chalicelib.api.organisation).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from chalice import Response
from pydantic import ValidationError

from chalicelib.api.organisation import AuditQuery, MemberChanges, MemberSearch, NewUnit, UnitAdmins
from chalicelib.domain.access import (
    Access,
    Principal,
    can_manage_unit_members,
    can_manage_units,
    can_read_audit,
    can_read_member,
    may_change_member,
    require,
)
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.records import SCHOOL_UNIT_ID, AuditEntry, Gender, Member, MemberStatus, Unit
from chalicelib.errors import BadRequest, Conflict, Forbidden, NotFound
from chalicelib.http.context import request_language
from chalicelib.i18n import MESSAGES, translate
from chalicelib.services import organisation
from chalicelib.settings import get_settings
from chalicelib.storage import Store, get_store
from chalicelib.web.forms import field_problems, read_form, redirect, validated
from chalicelib.web.render import Pages

routes = Pages(__name__)

MEMBERS_PER_PAGE = 20
# Every separator people type between 工号: spaces, commas and semicolons (half- and full-width), 顿号, new lines.
_STAFF_NO_SEPARATORS = re.compile(r"[\s,，、;；]+")
_SHOWN_LIST_ITEMS = 20


def _unit(store: Store, unit_id: str) -> Unit:
    unit = store.units.get(unit_id)
    if unit is None:
        raise NotFound()
    return unit


def _administered_units(store: Store, principal: Principal) -> list[Unit]:
    """The sub-unions the principal administers, in the union's order (a union admin: all of them)."""
    units = store.units.children(SCHOOL_UNIT_ID)
    return units if principal.union_admin else [unit for unit in units if unit.unit_id in principal.admin_of]


# ---- admin home ---------------------------------------------------------------------------------------------


@routes.route("/admin", access=Access.UNIT_ADMIN)
def admin_home(principal: Principal):
    return routes.show("admin_home.html", principal, units=_administered_units(get_store(), principal))


# ---- a unit's members and their activation codes ------------------------------------------------------------


@routes.route("/admin/units/{unit_id}/members", access=Access.UNIT_ADMIN)
def unit_members(principal: Principal, unit_id: str):
    require(can_manage_unit_members(principal, unit_id))
    store = get_store()
    unit = _unit(store, unit_id)
    search = validated(
        MemberSearch, {"q": routes.query("q"), "cursor": routes.query("cursor"), "limit": MEMBERS_PER_PAGE}
    )
    found = store.organisation.search_members(unit_id, search.q, search.limit, search.cursor)
    next_href = None
    if found.next_cursor:
        next_href = "?" + urlencode({**({"q": search.q} if search.q else {}), "cursor": found.next_cursor})
    first_href = "?" + urlencode({"q": search.q}) if search.q else "?"
    return routes.show(
        "admin_members.html",
        principal,
        unit=unit,
        members=found.members,
        q=search.q or "",
        paged=search.cursor is not None,
        next_href=next_href,
        first_href=first_href,
    )


@routes.route("/admin/units/{unit_id}/activation-codes", methods=("POST",), access=Access.UNIT_ADMIN)
def unit_activation_codes(principal: Principal, unit_id: str):
    read_form(routes.current_request)
    require(can_manage_unit_members(principal, unit_id))
    store = get_store()
    _unit(store, unit_id)
    from chalicelib.services.activation_sheet import activation_sheet  # only this page needs it

    sheet = activation_sheet(store, get_settings(), unit_id)
    return Response(body=sheet.text, headers=sheet.headers)


# ---- one member -------------------------------------------------------------------------------------------------

_MEMBER_FORM_FIELDS = ("name", "gender", "birth_date", "unit_id", "phone", "email", "status")
_REQUIRED_MEMBER_FIELDS = ("name", "gender", "birth_date", "unit_id", "status")


def _member_form(member: Member) -> dict[str, str]:
    return {
        "name": member.name,
        "gender": member.gender.value,
        "birth_date": member.birth_date.isoformat(),
        "unit_id": member.unit_id,
        "phone": member.phone or "",
        "email": member.email or "",
        "status": member.status.value,
    }


@routes.route("/admin/members/{staff_no}", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def member_edit(principal: Principal, staff_no: str):
    request = routes.current_request
    store = get_store()
    before = store.members.get(staff_no)
    if before is None:
        raise NotFound()
    require(can_read_member(principal, before.staff_no, before.unit_id))
    units = _administered_units(store, principal)
    if before.unit_id not in {unit.unit_id for unit in units}:
        units = [unit for unit in (store.units.get(before.unit_id),) if unit is not None] + units

    def show(status: int = 200, **context):
        context = {"form": _member_form(before), "errors": {}, "message": None, "saved": False, **context}
        return routes.show(
            "admin_member_edit.html",
            principal,
            status,
            member=before,
            units=units,
            editable=may_change_member(principal, before),
            genders=list(Gender),
            statuses=list(MemberStatus),
            **context,
        )

    if request.method == "GET":
        return show(saved=routes.query("saved") == "1")
    form = read_form(request)
    require(may_change_member(principal, before))
    language = request_language(request)
    values = {name: form.get(name, "").strip() for name in _MEMBER_FORM_FIELDS}
    errors = {name: translate("field.missing", language) for name in _REQUIRED_MEMBER_FIELDS if not values[name]}
    data: dict[str, str | None] = {name: value for name, value in values.items() if value and name not in errors}
    data.update({name: values[name] or None for name in ("phone", "email")})  # emptied: removed
    try:
        changes = MemberChanges.model_validate(data).model_dump(exclude_unset=True)
    except ValidationError as error:
        errors = {**field_problems(error, language), **errors}
    if errors:
        return show(400, form=values, errors=errors)
    try:
        organisation.change_member(store, principal, before, changes)
    except BadRequest as error:
        return show(400, form=values, errors={"unit_id": translate(error.code, language)})
    except Forbidden as error:  # the member change policy refused this change: say why, next to the form
        return show(403, form=values, message=translate(error.code, language))
    except Conflict as error:
        return show(409, form=values, message=translate(error.code, language))
    return redirect(f"/admin/members/{quote(before.staff_no)}?saved=1")


# ---- roster import ----------------------------------------------------------------------------------------------


@routes.route("/admin/import", access=Access.UNIT_ADMIN)
def roster_import(principal: Principal):
    from chalicelib.domain.roster import COLUMN_LABELS, REQUIRED_COLUMNS  # loaded here, not at cold start

    language = request_language(routes.current_request)
    labels = {key: zh if language == "zh" else en for key, (zh, en) in COLUMN_LABELS.items()}
    return routes.show(
        "admin_import.html",
        principal,
        units=_administered_units(get_store(), principal),
        column_labels=labels,
        required=[labels[key] for key in REQUIRED_COLUMNS],
        optional=[label for key, label in labels.items() if key not in REQUIRED_COLUMNS],
    )


@routes.route("/admin/import/template.csv", access=Access.UNIT_ADMIN)
def roster_template():
    from chalicelib.domain.cells import csv_text
    from chalicelib.domain.roster import COLUMN_LABELS

    return Response(
        body=csv_text([zh for zh, _ in COLUMN_LABELS.values()], []),
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": 'attachment; filename="roster-template.csv"',
        },
    )


# ---- sub-unions and their admins (union admins) ----------------------------------------------------------------

_NEW_UNIT_FIELDS = ("unit_id", "name_zh", "name_en", "short_name", "campus", "position")


@routes.route("/admin/units", methods=("GET", "POST"), access=Access.UNION_ADMIN)
def units_admin(principal: Principal):
    request = routes.current_request
    store = get_store()

    def show(status: int = 200, **context):
        context = {"create_form": {}, "create_errors": {}, "admin_forms": {}, "admin_errors": {}, **context}
        return routes.show(
            "admin_units.html",
            principal,
            status,
            units=store.units.children(SCHOOL_UNIT_ID),
            done=routes.query("done"),
            **context,
        )

    if request.method == "GET":
        return show()
    form = read_form(request)
    require(can_manage_units(principal))
    language = request_language(request)
    action = form.get("action")
    if action == "create":
        values = {name: form.get(name, "").strip() for name in _NEW_UNIT_FIELDS}
        try:
            body = NewUnit.model_validate({name: value for name, value in values.items() if value})
        except ValidationError as error:
            return show(400, create_form=values, create_errors=field_problems(error, language))
        try:
            unit = organisation.create_sub_union(store, principal, body.model_dump())
        except Conflict:
            errors = {"unit_id": translate("admin.units.exists", language)}
            return show(409, create_form=values, create_errors=errors)
        return redirect(f"/admin/units?done=created#unit-{unit.unit_id}")
    if action == "admins":
        unit = _unit(store, form.get("unit_id", ""))
        raw = form.get("staff_nos", "")
        staff_nos = [part for part in _STAFF_NO_SEPARATORS.split(raw) if part]
        try:
            admins = UnitAdmins.model_validate({"staff_nos": staff_nos})
        except ValidationError as error:
            problem = next(iter(field_problems(error, language).values()))
            return show(400, admin_forms={unit.unit_id: raw}, admin_errors={unit.unit_id: problem})
        try:
            organisation.appoint_unit_admins(store, principal, unit, admins.staff_nos)
        except Conflict:
            problem = translate("admin.units.admins_conflict", language)
            return show(409, admin_forms={unit.unit_id: raw}, admin_errors={unit.unit_id: problem})
        return redirect(f"/admin/units?done=admins#unit-{unit.unit_id}")
    raise BadRequest()


# ---- the change log ---------------------------------------------------------------------------------------------


def _label(key: str, language: str) -> str:
    for prefix in ("member.field.", "admin.units.", "audit.field."):
        if prefix + key in MESSAGES:
            return translate(prefix + key, language)
    return key


def _unit_label(unit: Unit | None, unit_id: str, language: str) -> str:
    if unit is None:
        return unit_id
    return unit.name_zh if language == "zh" else (unit.name_en or unit.name_zh)


def _value(key: str, value: object, units: dict[str, Unit], language: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        shown = ", ".join(str(item) for item in value[:_SHOWN_LIST_ITEMS])
        return shown + (" …" if len(value) > _SHOWN_LIST_ITEMS else "")
    text = str(value)
    if key == "gender" and f"member.gender.{text}" in MESSAGES:
        return translate(f"member.gender.{text}", language)
    if key == "status" and f"member.status.{text}" in MESSAGES:
        return translate(f"member.status.{text}", language)
    if key == "unit_id" and text in units:
        return _unit_label(units[text], text, language)
    return text


def _audit_row(entry: AuditEntry, units: dict[str, Unit], names: dict[str, str], language: str) -> dict:
    before, after = entry.before or {}, entry.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    action_key = f"audit.action.{entry.action}"
    return {
        "at": entry.at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M"),
        "actor": entry.actor,
        "actor_name": names.get(entry.actor),
        "action": translate(action_key, language) if action_key in MESSAGES else entry.action,
        "target": _unit_label(units[entry.target], entry.target, language) if entry.target in units else entry.target,
        "unit": _unit_label(units.get(entry.unit_id), entry.unit_id, language),
        "changes": [
            (
                _label(key, language),
                _value(key, before.get(key), units, language) if entry.before is not None else None,
                _value(key, after.get(key), units, language),
            )
            for key in keys
        ],
    }


@routes.route("/admin/audit", access=Access.UNIT_ADMIN)
def audit_log(principal: Principal):
    language = request_language(routes.current_request)
    store = get_store()
    choices = _administered_units(store, principal)
    unit_id = routes.query("unit_id")
    if unit_id is None and not principal.union_admin and choices:
        unit_id = choices[0].unit_id  # a unit admin reads their own unit's part of the log
    query = validated(AuditQuery, {"unit_id": unit_id})
    require(can_read_audit(principal, query.unit_id))
    log = store.audit
    entries = log.for_unit(query.unit_id, query.limit) if query.unit_id else log.everything(now(), query.limit)
    units = {unit.unit_id: unit for unit in store.units.whole_union()}
    names = {}
    for actor in {entry.actor for entry in entries}:
        member = store.members.get(actor)
        if member is not None:
            names[actor] = member.name
    return routes.show(
        "admin_audit.html",
        principal,
        choices=choices,
        unit_id=query.unit_id,
        limit=query.limit,
        rows=[_audit_row(entry, units, names, language) for entry in entries],
    )
