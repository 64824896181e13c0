"""Changes to units and members made by admins. Each change and its audit entry are written in one transaction."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from typing import NamedTuple

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.update import Action

from chalicelib.domain.access import UNION_ADMIN_ROLE
from chalicelib.domain.calendar import now
from chalicelib.domain.records import SCHOOL_UNIT_ID, Member, MemberStatus, Unit
from chalicelib.errors import BadRequest, Conflict
from chalicelib.storage.audit import audit_item
from chalicelib.storage.binding import transaction
from chalicelib.storage.repositories import MemberRepository, UnitRepository
from chalicelib.storage.tables import AuditTable, MemberTable, UnitTable

# Fields of a member that admins and roster imports may change (roles and admin rights have their own routes).
MEMBER_FIELDS = ("name", "gender", "birth_date", "unit_id", "phone", "email", "status")


def member_snapshot(member: Member) -> dict[str, object]:
    data = member._asdict()
    return {name: str(data[name]) if data[name] is not None else None for name in ("staff_no", *MEMBER_FIELDS)}


def _encode_cursor(key: dict[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> dict[str, str]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("bad_cursor") from exc
    if not isinstance(key, dict) or not all(isinstance(v, str) for v in key.values()):
        raise BadRequest("bad_cursor")
    return key


class MemberPage(NamedTuple):
    members: list[Member]
    next_cursor: str | None


class ImportOutcome(NamedTuple):
    created: int
    updated: int
    unchanged: int


def _conflict_on_condition(error: TransactWriteError) -> None:
    reasons = getattr(error, "cancellation_reasons", None) or []
    if any(reason is not None and reason.code == "ConditionalCheckFailed" for reason in reasons):
        raise Conflict("conflict") from error
    raise error


class Organisation:
    """Admin-side operations over ``units`` and ``members``; reads go through the plain repositories."""

    def __init__(self, units: UnitRepository, members: MemberRepository) -> None:
        self.units = units
        self.members = members

    # ---- members ------------------------------------------------------------------------------------------

    def search_members(self, unit_id: str, text: str | None, limit: int, cursor: str | None) -> MemberPage:
        """A unit's members by 工号, optionally those whose 工号 starts with or whose name contains ``text``."""
        condition = None
        filter_condition = None
        if text:
            if text.isascii() and text.replace("-", "").isalnum():
                condition = MemberTable.staff_no.startswith(text.upper())
            else:
                filter_condition = MemberTable.name.contains(text)
        start = None
        if cursor:
            key = _decode_cursor(cursor)
            start = {"unit_id": {"S": unit_id}, "staff_no": {"S": key.get("staff_no", "")}}
        found: list[Member] = []
        query = MemberTable.by_unit.query(
            unit_id,
            condition,
            filter_condition=filter_condition,
            last_evaluated_key=start,
            page_size=max(limit, 25),
        )
        for item in query:
            found.append(self.members._record(item))
            if len(found) == limit:
                break
        more = len(found) == limit and query.last_evaluated_key is not None
        next_cursor = _encode_cursor({"staff_no": found[-1].staff_no}) if more else None
        return MemberPage(found, next_cursor)

    def update_member(self, actor: str, before: Member, after: Member, union_admin_keeper: str | None = None) -> None:
        """Write the member's changed fields and the audit entry; ``union_admin_keeper`` (a 工号): the change
        happens only if that member is still a union admin who may sign in (Conflict otherwise)."""
        # Damaged fields (chalicelib.storage.salvage) are written even when the fallback is kept: the item is whole.
        changed = {name for name in MEMBER_FIELDS if getattr(before, name) != getattr(after, name)}
        changed |= before.damaged & set(MEMBER_FIELDS)
        if not changed:
            return
        snapshot = member_snapshot(after)
        actions = [
            getattr(MemberTable, name).set(snapshot[name])
            if snapshot[name] is not None
            else getattr(MemberTable, name).remove()
            for name in changed
        ]
        actions.append(MemberTable.updated_at.set(now()))
        audit_before = {name: member_snapshot(before)[name] for name in sorted(changed)}
        audit_after = {name: snapshot[name] for name in sorted(changed)}
        try:
            with transaction() as tx:
                # The member must still be in the unit the admin saw: a concurrent move is a conflict, not a clobber.
                tx.update(
                    MemberTable(before.staff_no), actions=actions, condition=MemberTable.unit_id == before.unit_id
                )
                if union_admin_keeper is not None:
                    tx.condition_check(
                        MemberTable,
                        union_admin_keeper,
                        condition=MemberTable.roles.contains(UNION_ADMIN_ROLE)
                        & (MemberTable.status != MemberStatus.LEFT.value),
                    )
                for unit_id in {before.unit_id, after.unit_id}:
                    tx.save(audit_item(unit_id, actor, "member.update", before.staff_no, audit_before, audit_after))
        except TransactWriteError as error:
            _conflict_on_condition(error)

    def members_by_staff_no(self, staff_nos: Iterable[str]) -> dict[str, Member]:
        """The stored members among ``staff_nos``, read by key (100 keys per request)."""
        keys = list(dict.fromkeys(staff_nos))
        return {item.staff_no: self.members._record(item) for item in MemberTable.batch_get(keys)} if keys else {}

    def import_members(
        self,
        actor: str,
        rows: Iterable[Member],
        batch_size: int = 100,
        permit: Callable[[Member | None, Member], bool] | None = None,
    ) -> ImportOutcome:
        """Upsert by 工号: new members are created, changed ones updated, unchanged ones left alone.

        Safe to retry after a crash: every write is keyed by 工号 and compares against what is stored, so a second
        run writes only what the first did not. Roles, admin rights and creation times are kept. ``permit(stored,
        row)`` is asked again for every row of a batch against what is stored just before it is written: if a
        member changed since the file was checked so that the row is no longer allowed, the batch is not written
        and the import stops with ``Conflict("roster_changed")``.
        """
        created = updated = unchanged = 0
        touched: dict[str, list[str]] = {}
        stamp = now()
        batch: list[Member] = []

        def flush() -> None:
            nonlocal created, updated, unchanged
            existing = {item.staff_no: item for item in MemberTable.batch_get([m.staff_no for m in batch])}
            if permit is not None:
                for member in batch:
                    stored = existing.get(member.staff_no)
                    if not permit(self.members._record(stored) if stored is not None else None, member):
                        raise Conflict("roster_changed")
            with MemberTable.batch_write() as writer:
                for member in batch:
                    stored = existing.get(member.staff_no)
                    current = self.members._record(stored) if stored is not None else None
                    if current is not None and member_snapshot(current) == member_snapshot(member):
                        unchanged += 1
                        continue
                    if current is not None:
                        member = member._replace(roles=current.roles, admin_units=current.admin_units)
                    created_at = stored.created_at if stored is not None else stamp
                    writer.save(self.members.item(member, created_at, stamp))
                    touched.setdefault(member.unit_id, []).append(member.staff_no)
                    if stored is None:
                        created += 1
                    else:
                        updated += 1
                        if stored.unit_id != member.unit_id:
                            touched.setdefault(stored.unit_id, []).append(member.staff_no)
            batch.clear()

        for member in rows:
            batch.append(member)
            if len(batch) == batch_size:
                flush()
        if batch:
            flush()
        outcome = ImportOutcome(created, updated, unchanged)
        with AuditTable.batch_write() as writer:
            for unit_id, staff_nos in touched.items():
                summary = {"created_or_updated": len(staff_nos), "staff_nos": sorted(staff_nos)[:200]}
                writer.save(audit_item(unit_id, actor, "roster.import", unit_id, None, summary))
        return outcome

    # ---- units --------------------------------------------------------------------------------------------

    def create_unit(self, actor: str, unit: Unit) -> None:
        stamp = now()
        item = self.units.item(unit, stamp, stamp)
        try:
            with transaction() as tx:
                tx.save(item, condition=UnitTable.unit_id.does_not_exist())
                tx.save(audit_item(SCHOOL_UNIT_ID, actor, "unit.create", unit.unit_id, None, _unit_snapshot(unit)))
        except TransactWriteError as error:
            _conflict_on_condition(error)

    def update_unit(self, actor: str, before: Unit, after: Unit) -> None:
        fields = {
            "name_zh": "name_zh",
            "name_en": "name_en",
            "short_name": "short_name_zh",
            "campus": "campus",
            "position": "position",
        }
        # Damaged fields (chalicelib.storage.salvage) are written even when the fallback is kept: the item is whole.
        changed = [name for name in fields if getattr(before, name) != getattr(after, name) or name in before.damaged]
        if not changed and not before.damaged:
            return
        actions = [
            getattr(UnitTable, fields[name]).set(getattr(after, name))
            if getattr(after, name) is not None
            else getattr(UnitTable, fields[name]).remove()
            for name in changed
        ]
        if "kind" in before.damaged:
            actions.append(UnitTable.kind.set(after.kind.value))
        actions.append(UnitTable.updated_at.set(now()))
        with transaction() as tx:
            tx.update(UnitTable(before.unit_id), actions=actions, condition=UnitTable.unit_id.exists())
            tx.save(
                audit_item(
                    before.unit_id,
                    actor,
                    "unit.update",
                    before.unit_id,
                    {name: getattr(before, name) for name in changed},
                    {name: getattr(after, name) for name in changed},
                )
            )

    def set_unit_admins(self, actor: str, unit: Unit, admins: frozenset[str]) -> None:
        """Appoint exactly ``admins`` as the unit's admins; the members' own admin_units follow in the same step."""
        added, removed = admins - unit.admins, unit.admins - admins
        if not added and not removed:
            return
        try:
            with transaction() as tx:
                actions: list[Action] = [UnitTable.updated_at.set(now())]
                actions.append(
                    UnitTable.admin_staff_nos.set(set(admins)) if admins else UnitTable.admin_staff_nos.remove()
                )
                tx.update(UnitTable(unit.unit_id), actions=actions, condition=UnitTable.unit_id.exists())
                for staff_no in added:
                    tx.update(
                        MemberTable(staff_no),
                        actions=[MemberTable.admin_units.add({unit.unit_id})],
                        condition=MemberTable.staff_no.exists(),
                    )
                for staff_no in removed:
                    tx.update(MemberTable(staff_no), actions=[MemberTable.admin_units.delete({unit.unit_id})])
                tx.save(
                    audit_item(
                        unit.unit_id,
                        actor,
                        "unit.admins",
                        unit.unit_id,
                        {"admins": sorted(unit.admins)},
                        {"admins": sorted(admins)},
                    )
                )
        except TransactWriteError as error:
            _conflict_on_condition(error)


def _unit_snapshot(unit: Unit) -> dict[str, object]:
    return {"unit_id": unit.unit_id, "name_zh": unit.name_zh, "name_en": unit.name_en, "campus": unit.campus}
