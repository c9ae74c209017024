"""The mechanics of merging two person records: find every row that points at a person, move it, move it back.

The rows are found generically, from the relations Django knows about `Person`, so a model that any app
adds later (referrals, services, stays…) is re-pointed by a merge without anyone editing this module.
Only the merge's own bookkeeping (the flag and the merge record, which must keep naming both people)
is left alone.

A row whose move would break a database constraint (her safe-contact one-to-one when the kept person
has her own, both women in one household, a name token both share) stays with the merged person and is
listed as "left": the kept person's row wins, and the other is remembered, not lost. Each move runs in a
savepoint so that one refusal does not undo the others. The verbs in actions.py call these inside their
transaction, with both people locked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models.fields.related import ForeignKey
from django.db.models.fields.reverse_related import ForeignObjectRel

from haven.people.models import Person

# (model label, field name) of the pointers that record the merge itself and must keep their target.
BOOKKEEPING = frozenset(
    {
        ("people.duplicateflag", "person_a"),
        ("people.duplicateflag", "person_b"),
        ("people.personmerge", "kept"),
        ("people.personmerge", "merged"),
    }
)


@dataclass(frozen=True)
class RowRef:
    """One row's pointer at a person: which model, which row, through which field."""

    model: str
    pk: str
    field: str

    def as_json(self) -> dict[str, str]:
        return {"model": self.model, "pk": self.pk, "field": self.field}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RowRef:
        return cls(model=str(data["model"]), pk=str(data["pk"]), field=str(data["field"]))

    @property
    def relation(self) -> str:
        """The field's name with its model, e.g. "cases.case.survivor", for the audit log."""
        return f"{self.model}.{self.field}"


def person_pointers() -> list[ForeignKey[Any, Any]]:
    """Every foreign key and one-to-one, in any installed app, that points at `Person`.

    Read with `include_hidden=True`: `Person._meta.related_objects` leaves out relations declared with
    `related_name="+"` (which several models use) and the hidden foreign keys of many-to-many tables.
    Many-to-many relations themselves are skipped because their table's foreign key is in the list.
    """
    pointers: list[ForeignKey[Any, Any]] = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not isinstance(rel, ForeignObjectRel) or rel.many_to_many:
            continue
        field = rel.field
        if not isinstance(field, ForeignKey) or field.model._meta.proxy:
            continue
        if (field.model._meta.label_lower, field.name) not in BOOKKEEPING:
            pointers.append(field)
    return sorted(pointers, key=lambda f: (f.model._meta.label_lower, f.name))


def _move(model: type[models.Model], field: ForeignKey[Any, Any], pk: Any, source: Any, target: Any) -> bool:
    """Point one row from `source` to `target`; False if it no longer points at `source` or cannot move."""
    try:
        with transaction.atomic():
            rows = model._base_manager.filter(pk=pk, **{field.attname: source}).update(
                **{field.attname: target}
            )
    except IntegrityError:
        return False
    return rows == 1


def repoint(*, merged: Person, kept: Person) -> tuple[list[RowRef], list[RowRef]]:
    """Move every row pointing at `merged` to `kept`; returns (moved, left)."""
    moved: list[RowRef] = []
    left: list[RowRef] = []
    for field in person_pointers():
        model = field.model
        pks = (
            model._base_manager.filter(**{field.attname: merged.pk})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for pk in list(pks):
            ref = RowRef(model._meta.label_lower, str(pk), field.name)
            (moved if _move(model, field, pk, merged.pk, kept.pk) else left).append(ref)
    return moved, left


def restore(refs: list[RowRef], *, merged: Person, kept: Person) -> list[RowRef]:
    """Point the rows a merge moved back at the merged person; returns those that could not be.

    A row deleted since the merge, or pointed elsewhere by later work, is not forced back.
    """
    missed: list[RowRef] = []
    for ref in refs:
        model = apps.get_model(ref.model)
        field = model._meta.get_field(ref.field)
        assert isinstance(field, ForeignKey)
        if not _move(model, field, ref.pk, kept.pk, merged.pk):
            missed.append(ref)
    return missed
