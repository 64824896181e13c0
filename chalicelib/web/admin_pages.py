"""Admin pages: a unit's members and their activation codes, editing a member, roster import, sub-unions and
their admins, the change log. The same policy checks and services as the JSON API (chalicelib.api.organisation).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlencode

from chalice import Response
from pydantic import ValidationError

from chalicelib.api.organisation import AuditQuery, MemberChanges, MemberSearch, NewUnit, UnitAdmins
from chalicelib.domain.access import Access, Principal, can_manage_unit_members, can_manage_units, require
from chalicelib.domain.calendar import CHINA_TZ, now
from chalicelib.domain.records import AuditEntry, Gender, Member, MemberStatus, Unit
from chalicelib.errors import BadRequest, Conflict, Forbidden
from chalicelib.http.context import request_language
from chalicelib.i18n import translate
from chalicelib.services import organisation, organisation_views
from chalicelib.services.organisation_views import unit_name
from chalicelib.settings import get_settings
from chalicelib.storage import get_store
from chalicelib.web import member_labels
from chalicelib.web.forms import field_problems, read_form, redirect, validated
from chalicelib.web.render import Pages

routes = Pages(__name__)

MEMBERS_PER_PAGE = 20
# Every separator people type between 工号: spaces, commas and semicolons (half- and full-width), 顿号, new lines.
_STAFF_NO_SEPARATORS = re.compile(r"[\s,，、;；]+")
_SHOWN_LIST_ITEMS = 20


# ---- admin home ---------------------------------------------------------------------------------------------


@routes.route("/admin", access=Access.UNIT_ADMIN)
def admin_home(principal: Principal):
    return routes.show(
        "admin_home.html", principal, units=organisation_views.administered_units(get_store(), principal)
    )


# ---- a unit's members and their activation codes ------------------------------------------------------------


@routes.route("/admin/units/{unit_id}/members", access=Access.UNIT_ADMIN)
def unit_members(principal: Principal, unit_id: str):
    require(can_manage_unit_members(principal, unit_id))
    store = get_store()
    unit = organisation_views.unit(store, unit_id)
    search = validated(
        MemberSearch, {"q": routes.query("q"), "cursor": routes.query("cursor"), "limit": MEMBERS_PER_PAGE}
    )
    found = organisation_views.search_members(store, principal, unit_id, search.q, search.limit, search.cursor)
    next_href = None
    if found.next_cursor:
        next_href = "?" + urlencode({**({"q": search.q} if search.q else {}), "cursor": found.next_cursor})
    first_href = "?" + urlencode({"q": search.q}) if search.q else "?"
    return routes.show(
        "admin_members.html",
        principal,
        unit=unit,
        members=found.members,
        labels=member_labels,
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
    organisation_views.unit(store, unit_id)
    from chalicelib.services.activation_sheet import activation_sheet  # only this page needs it

    sheet = activation_sheet(store, get_settings(), unit_id)
    return Response(body=sheet.text, headers=sheet.headers)


# ---- one member -------------------------------------------------------------------------------------------------

_MEMBER_FORM_FIELDS = ("name", "gender", "birth_date", "unit_id", "phone", "email", "status")
_REQUIRED_MEMBER_FIELDS = ("name", "gender", "birth_date", "unit_id", "status")


def member_form(member: Member) -> dict[str, str]:
    """The member edit form's fields as the page fills them in for ``member``."""
    return {
        "name": member.name,
        "gender": member.gender.value,
        "birth_date": member.birth_date.isoformat(),
        "unit_id": member.unit_id,
        "phone": member.phone or "",
        "email": member.email or "",
        "status": member.status.value,
    }


def _member_page(principal: Principal, view: organisation_views.MemberEditView, status: int = 200, **context):
    context = {"form": member_form(view.member), "errors": {}, "message": None, "saved": False, **context}
    return routes.show(
        "admin_member_edit.html",
        principal,
        status,
        member=view.member,
        units=view.units,
        editable=view.editable,
        genders=list(Gender),
        statuses=list(MemberStatus),
        labels=member_labels,
        **context,
    )


def _member_changes(values: dict[str, str], language: str) -> tuple[dict[str, str], dict[str, Any]]:
    """The posted form's problems by field, or (none) the changes as MemberChanges reads them."""
    errors = {name: translate("field.missing", language) for name in _REQUIRED_MEMBER_FIELDS if not values[name]}
    data: dict[str, str | None] = {name: value for name, value in values.items() if value and name not in errors}
    data.update({name: values[name] or None for name in ("phone", "email")})  # emptied: removed
    try:
        changes = MemberChanges.model_validate(data).model_dump(exclude_unset=True)
    except ValidationError as error:
        return {**field_problems(error, language), **errors}, {}
    return errors, changes


@routes.route("/admin/members/{staff_no}", methods=("GET", "POST"), access=Access.UNIT_ADMIN)
def member_edit(principal: Principal, staff_no: str):
    request = routes.current_request
    store = get_store()
    view = organisation_views.member_edit(store, principal, staff_no)
    if request.method == "GET":
        return _member_page(principal, view, saved=routes.query("saved") == "1")
    form = read_form(request)
    require(view.editable)
    language = request_language(request)
    values = {name: form.get(name, "").strip() for name in _MEMBER_FORM_FIELDS}
    errors, changes = _member_changes(values, language)
    if errors:
        return _member_page(principal, view, 400, form=values, errors=errors)
    try:
        organisation.change_member(store, principal, view.member, changes)
    except BadRequest as error:
        return _member_page(principal, view, 400, form=values, errors={"unit_id": translate(error.code, language)})
    except Forbidden as error:  # the member change policy refused this change: say why, next to the form
        return _member_page(principal, view, 403, form=values, message=translate(error.code, language))
    except Conflict as error:
        return _member_page(principal, view, 409, form=values, message=translate(error.code, language))
    return redirect(f"/admin/members/{quote(view.member.staff_no)}?saved=1")


# ---- roster import ----------------------------------------------------------------------------------------------


@routes.route("/admin/import", access=Access.UNIT_ADMIN)
def roster_import(principal: Principal):
    from chalicelib.domain.roster import COLUMN_NAMES, REQUIRED_COLUMNS  # loaded here, not at cold start

    language = request_language(routes.current_request)
    labels = {key: translate(name, language) for key, name in COLUMN_NAMES.items()}
    return routes.show(
        "admin_import.html",
        principal,
        units=organisation_views.administered_units(get_store(), principal),
        column_labels=labels,
        required=[labels[key] for key in REQUIRED_COLUMNS],
        optional=[label for key, label in labels.items() if key not in REQUIRED_COLUMNS],
    )


@routes.route("/admin/import/template.csv", access=Access.UNIT_ADMIN)
def roster_template():
    from chalicelib.domain.cells import csv_text
    from chalicelib.domain.roster import COLUMN_HEADERS

    return Response(
        # The Chinese headers as the parser reads them: a file format people fill in, the same in every language.
        body=csv_text([zh for zh, _ in COLUMN_HEADERS.values()], []),
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
            units=organisation_views.sub_unions(store),
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
        unit = organisation_views.unit(store, form.get("unit_id", ""))
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


def _value(key: str, value: object, units: dict[str, Unit], language: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        shown = ", ".join(str(item) for item in value[:_SHOWN_LIST_ITEMS])
        return shown + (" …" if len(value) > _SHOWN_LIST_ITEMS else "")
    text = str(value)
    if key == "gender" and text in member_labels.GENDER:
        return translate(member_labels.GENDER[Gender(text)], language)
    if key == "status" and text in member_labels.MEMBER_STATUS:
        return translate(member_labels.MEMBER_STATUS[MemberStatus(text)], language)
    if key == "unit_id" and text in units:
        return unit_name(units[text], text, language)
    return text


def _audit_row(entry: AuditEntry, units: dict[str, Unit], names: dict[str, str], language: str) -> dict:
    before, after = entry.before or {}, entry.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    action = member_labels.AUDIT_ACTION.get(entry.action)
    return {
        "at": entry.at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M"),
        "actor": entry.actor,
        "actor_name": names.get(entry.actor),
        "action": translate(action, language) if action else entry.action,
        "target": unit_name(units[entry.target], entry.target, language) if entry.target in units else entry.target,
        "unit": unit_name(units.get(entry.unit_id), entry.unit_id, language),
        "changes": [
            (
                translate(member_labels.AUDIT_KEY[key], language) if key in member_labels.AUDIT_KEY else key,
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
    choices = organisation_views.administered_units(store, principal)
    unit_id = routes.query("unit_id")
    if unit_id is None and not principal.union_admin and choices:
        unit_id = choices[0].unit_id  # a unit admin reads their own unit's part of the log
    query = validated(AuditQuery, {"unit_id": unit_id})
    log = organisation_views.audit_log(store, principal, query.unit_id, query.limit, now())
    return routes.show(
        "admin_audit.html",
        principal,
        choices=choices,
        unit_id=query.unit_id,
        limit=query.limit,
        rows=[_audit_row(entry, log.units, log.actor_names, language) for entry in log.entries],
    )
