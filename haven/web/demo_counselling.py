"""Demo counselling: the organisation's counsellor joins each demo case and records sessions there, in the
survivor's language, with invented notes (psychological help at the Quebec shelter, a trauma session in
Persian for the woman who speaks it, crisis and psychological help in Bengali in Dhaka).

Everything goes through the verbs, as real work would. Loaded once, after `load_demo_cases`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from haven.cases.actions import assign_worker
from haven.cases.models import Case, CaseAssignment
from haven.counselling import actions
from haven.orgs.models import Membership, Organisation
from haven.orgs.roles import Role


@dataclass(frozen=True)
class DemoSession:
    kind: str
    modality: str
    language: str
    days_after_opening: int
    duration_minutes: int
    notes: str
    plan_next: bool = False


# Per demo organisation, the sessions of its first and second demo case, in the order they were opened.
_SESSIONS: dict[str, tuple[tuple[DemoSession, ...], ...]] = {
    "maison-secours": (
        (
            DemoSession(
                "PSYCHOLOGICAL",
                "IN_PERSON",
                "fr",
                3,
                50,
                "Elle parle de sa peur pour son fils; travail sur le sommeil (notes inventées).",
            ),
        ),
        (
            DemoSession(
                "TRAUMA",
                "IN_PERSON",
                "fa",
                4,
                60,
                "درباره ترس‌هایش صحبت کردیم؛ تمرین تنفس را یاد گرفت (یادداشت ساختگی).",
            ),
            DemoSession(
                "TRAUMA",
                "PHONE",
                "fa",
                11,
                45,
                "خواب بهتر شده است؛ جلسه بعد درباره اعتماد به نفس (یادداشت ساختگی).",
                plan_next=True,
            ),
        ),
    ),
    "dwa-dhaka": (
        (
            DemoSession(
                "CRISIS",
                "IN_PERSON",
                "bn",
                1,
                40,
                "সংকটকালীন কাউন্সেলিং; তিনি এখন নিরাপদ বোধ করছেন (কাল্পনিক নোট)।",
            ),
        ),
        (
            DemoSession(
                "PSYCHOLOGICAL",
                "IN_PERSON",
                "bn",
                5,
                50,
                "পড়াশোনায় ফিরে যাওয়ার ইচ্ছা নিয়ে কথা হয়েছে (কাল্পনিক নোট)।",
                plan_next=True,
            ),
        ),
    ),
}


def load_demo_counselling(org: Organisation, at: datetime) -> None:
    """Put the organisation's counsellor on its demo cases and record her sessions there."""
    counsellor = Membership.objects.filter(org=org, role=Role.COUNSELLOR, is_active=True).first()
    plans = _SESSIONS.get(org.slug, ())
    if counsellor is None or not plans:
        return
    cases = Case.objects.filter(org=org).select_related("org").order_by("opened_at")
    for case, sessions in zip(cases, plans, strict=False):
        if case.is_closed:
            continue
        _join(case, counsellor)
        for session in sessions:
            _record(case, counsellor, session, at)


def _join(case: Case, counsellor: Membership) -> None:
    on_case = case.assignments.filter(membership=counsellor, ended_at__isnull=True).exists()
    if not on_case:
        assign_worker(
            case=case,
            membership=counsellor,
            role_in_case=CaseAssignment.RoleInCase.SUPPORT,
            acting_user=None,
            at=case.opened_at,
        )


def _record(case: Case, counsellor: Membership, session: DemoSession, at: datetime) -> None:
    starts_at = min(case.opened_at + timedelta(days=session.days_after_opening), at - timedelta(hours=3))
    recorded_at = starts_at + timedelta(hours=2)
    next_on = timezone.localdate(at) + timedelta(days=7) if session.plan_next else None
    actions.record_session(
        case=case,
        kind=session.kind,
        counsellor=counsellor,
        modality=session.modality,
        language=session.language,
        starts_at=starts_at,
        duration_minutes=session.duration_minutes,
        notes=session.notes,
        next_session_on=next_on,
        acting_user=None,
        at=recorded_at,
    )
