"""Reads of counselling sessions that need more than one line: each is a fixed number of queries."""

from __future__ import annotations

from typing import Any

from haven.cases.models import Case
from haven.counselling.models import CounsellingSession, CounsellingSessionQuerySet, NotesRevision
from haven.orgs.models import Membership


def sessions_of_case(case: Case, user: Any) -> CounsellingSessionQuerySet:
    """The case's sessions the user may see, newest first, with their counsellors (no notes read)."""
    return (
        CounsellingSession.objects.visible_to(user)
        .filter(case=case)
        .select_related("counsellor__user")
        .order_by("-starts_at")
    )


def sessions_held_by(membership: Membership, user: Any) -> CounsellingSessionQuerySet:
    """A counsellor's own sessions on the cases she may still see, newest first, with the case and its
    survivor code for the list."""
    return (
        CounsellingSession.objects.visible_to(user)
        .filter(counsellor=membership)
        .select_related("case__survivor")
        .order_by("-starts_at")
    )


def with_case() -> CounsellingSessionQuerySet:
    """Sessions with what their page shows: the case, its survivor code and the counsellor."""
    return CounsellingSession.objects.select_related("case__survivor", "case__org", "counsellor__user")


def revisions_of(session: CounsellingSession) -> list[NotesRevision]:
    """Earlier texts of the notes, newest first. Only for those who may read the notes."""
    return list(NotesRevision.objects.filter(session=session).select_related("replaced_by"))
