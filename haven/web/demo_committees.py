"""Demo coordination committees: in Dhaka, the Savar upazila committee for the prevention of violence
against women and children, with its members, a meeting held two weeks ago that tabled two demo cases
(one woman signed a release naming the committee, so its records show her name; the other shows as her
code), and the next meeting planned; in Quebec, a multi-agency risk assessment conference (MARAC) that
tabled a demo case. Everything goes through the verbs; every name is invented.

Called from `demo.load_demo` for an organisation it has just created, after `load_demo_cases`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from haven.cases.models import Case
from haven.committees import actions
from haven.committees.models import Committee, CommitteeMember
from haven.directory.actions import create_provider
from haven.orgs.models import Area, Membership, Organisation
from haven.orgs.roles import Role
from haven.referrals.actions import record_release


@dataclass(frozen=True)
class DemoSeat:
    institution: str
    institution_type: str
    role_title: str
    name: str  # empty: the seat is held by the organisation's member of staff in `staff_role`
    staff_role: Role | None = None


@dataclass(frozen=True)
class DemoCommittee:
    name: str
    kind: str
    area_level: int
    directory_entry: str
    seats: tuple[DemoSeat, ...]
    place: str
    agenda: tuple[str, ...]
    minutes: str
    reasons: tuple[str, ...]  # why each demo case is tabled, in the order of the demo cases
    decision: str
    actions: tuple[tuple[str, int, int], ...]  # text, seat index of the owner, due (days after the meeting)
    release_purpose: str


_COMMITTEES: dict[str, DemoCommittee] = {
    "BD": DemoCommittee(
        name="সাভার উপজেলা নারী ও শিশু নির্যাতন প্রতিরোধ কমিটি (ডেমো)",
        kind=Committee.Kind.UPAZILA_PREVENTION,
        area_level=Area.Level.SUBDISTRICT,
        directory_entry="সাভার উপজেলা নারী ও শিশু নির্যাতন প্রতিরোধ কমিটি (ডেমো)",
        seats=(
            DemoSeat("উপজেলা পরিষদ, সাভার", "LOCAL_GOVERNMENT", "সভাপতি (উপজেলা নির্বাহী অফিসার)", "মোঃ রফিকুল ইসলাম"),
            DemoSeat("উপজেলা মহিলা বিষয়ক কার্যালয়", "SOCIAL_SERVICES", "সদস্য-সচিব", "", Role.CENTRE_MANAGER),
            DemoSeat("সাভার মডেল থানা", "POLICE", "সদস্য (অফিসার ইনচার্জ)", "মোঃ জাহিদ হাসান"),
            DemoSeat("উপজেলা স্বাস্থ্য কমপ্লেক্স", "HEALTH", "সদস্য", "ডাঃ নাসিমা সুলতানা"),
            DemoSeat("উপজেলা মাধ্যমিক শিক্ষা অফিস", "EDUCATION", "সদস্য", "আবদুল করিম"),
            DemoSeat("স্থানীয় নারী অধিকার সংগঠন (কাল্পনিক)", "NGO", "সদস্য", "শাহনাজ পারভীন"),
        ),
        place="উপজেলা পরিষদ সভাকক্ষ, সাভার",
        agenda=("গত সভার সিদ্ধান্ত বাস্তবায়ন", "যৌতুক ও বাল্যবিবাহের নতুন অভিযোগ", "ঝুঁকিপূর্ণ মামলা পর্যালোচনা"),
        minutes=(
            "সভাপতি সভার কাজ শুরু করেন। থানার অফিসার ইনচার্জ জানান যে যৌতুকের মামলায় অভিযুক্তকে "
            "নোটিশ দেওয়া হয়েছে। বাল্যবিবাহ প্রতিরোধে বিদ্যালয়গুলোতে সচেতনতা সভা করার সিদ্ধান্ত হয় "
            "(কাল্পনিক কার্যবিবরণী)।"
        ),
        reasons=("স্বামী আবার হুমকি দিচ্ছে; সুরক্ষা আদেশ প্রয়োজন।", "বাল্যবিবাহের পর পড়াশোনা বন্ধ; বিদ্যালয়ে ফেরানো দরকার।"),
        decision="থানা সাত দিনের মধ্যে সুরক্ষা আদেশ কার্যকর করবে।",
        actions=(("সুরক্ষা আদেশ কার্যকরের অগ্রগতি জানানো", 2, 7), ("স্বাস্থ্য পরীক্ষার প্রতিবেদন পাঠানো", 3, 21)),
        release_purpose="উপজেলা কমিটি যেন তাঁর সুরক্ষা সমন্বয় করতে পারে।",
    ),
    "CA": DemoCommittee(
        name="Table MARAC de Montréal (démo)",
        kind=Committee.Kind.MARAC,
        area_level=Area.Level.DISTRICT,
        directory_entry="Table MARAC de Montréal (démo)",
        seats=(
            DemoSeat("Maison Secours aux Femmes", "NGO", "Présidente", "", Role.CENTRE_MANAGER),
            DemoSeat("Service de police (fictif)", "POLICE", "Membre", "Sergente-détective Isabelle Gagnon"),
            DemoSeat("CLSC du quartier", "HEALTH", "Membre", "Marc-André Roy"),
            DemoSeat("Protection de la jeunesse (fictif)", "SOCIAL_SERVICES", "Membre", "Nathalie Bouchard"),
            DemoSeat("Aide juridique (fictif)", "LEGAL_AID", "Membre", "Me Caroline Lévesque"),
            DemoSeat("Maison Secours aux Femmes", "NGO", "Secrétaire", "", Role.CASEWORKER),
        ),
        place="Salle de conférence, bureau du suivi externe",
        agenda=("Suivi des actions de la dernière rencontre", "Situations à risque élevé", "Varia"),
        minutes=(
            "Quatre organismes présents. La police confirme une patrouille accrue près du domicile. Le CLSC "
            "offrira un suivi psychosocial (procès-verbal inventé)."
        ),
        reasons=("Risque élevé selon l'évaluation; il a violé ses conditions de remise en liberté.",),
        decision="Plan de sécurité coordonné : patrouille accrue et suivi psychosocial.",
        actions=(("Confirmer la patrouille accrue", 1, 7), ("Premier rendez-vous psychosocial", 2, 14)),
        release_purpose="Permettre à la table MARAC de coordonner sa sécurité.",
    ),
}


def load_demo_committees(org: Organisation, at: datetime) -> None:
    plan = _COMMITTEES.get(org.country)
    if plan is None:
        return
    committee = _committee(org, plan, at)
    seats = [_seat(committee, seat, at) for seat in plan.seats]
    actions.update_committee(committee=committee, changes={"chair": seats[0]}, acting_user=None, at=at)
    demo_cases = list(Case.objects.filter(org=org).select_related("survivor").order_by("opened_at"))
    _hold_meeting(committee, plan, seats, demo_cases[: len(plan.reasons)], at)
    actions.schedule_meeting(
        committee=committee,
        starts_at=at + timedelta(days=16),
        place=plan.place,
        agenda=plan.agenda[:1],
        acting_user=None,
        at=at,
    )


def _committee(org: Organisation, plan: DemoCommittee, at: datetime) -> Committee:
    entry = create_provider(
        org=org,
        name=plan.directory_entry,
        kind="GOVERNMENT" if plan.kind != Committee.Kind.MARAC else "OTHER",
        services=["PROTECTION_ORDER", "POLICE_REPORT"],
        acting_user=None,
        at=at,
    )
    area = Area.objects.filter(org=org, level=plan.area_level).first()
    return actions.create_committee(
        org=org, name=plan.name, kind=plan.kind, area=area, provider=entry, acting_user=None, at=at
    )


def _seat(committee: Committee, seat: DemoSeat, at: datetime) -> CommitteeMember:
    staff = None
    name = seat.name
    if seat.staff_role is not None:
        staff = Membership.objects.select_related("user").get(org=committee.org, role=seat.staff_role)
        name = staff.user.get_full_name()
    return actions.add_member(
        committee=committee,
        institution=seat.institution,
        institution_type=seat.institution_type,
        role_title=seat.role_title,
        name=name,
        membership=staff,
        joined_on=timezone.localdate(at) - timedelta(days=200),
        acting_user=None,
        at=at,
    )


def _hold_meeting(
    committee: Committee, plan: DemoCommittee, seats: list[CommitteeMember], cases: list[Case], at: datetime
) -> None:
    """Two weeks ago: the cases tabled three days before, then the minutes, a decision and actions (one
    of them now overdue). The first woman consented to the committee knowing who she is."""
    held_at = at - timedelta(days=14)
    meeting = actions.schedule_meeting(
        committee=committee,
        starts_at=held_at,
        place=plan.place,
        agenda=plan.agenda,
        acting_user=None,
        at=held_at - timedelta(days=7),
    )
    tabled = [
        actions.table_case(
            meeting=meeting, case=case, reason=reason, acting_user=None, at=held_at - timedelta(days=3)
        )
        for case, reason in zip(cases, plan.reasons, strict=False)
    ]
    if cases:
        _release_to_committee(committee, cases[0], plan, at)
    after = held_at + timedelta(hours=3)
    actions.record_minutes(meeting=meeting, minutes=plan.minutes, acting_user=None, at=after)
    first = tabled[0] if tabled else None
    actions.record_decision(
        meeting=meeting, text=plan.decision, tabled_case=first, acting_user=None, at=after
    )
    for text, owner, days in plan.actions:
        actions.assign_action(
            meeting=meeting,
            text=text,
            owner=seats[owner],
            due_on=timezone.localdate(held_at) + timedelta(days=days),
            tabled_case=first,
            acting_user=None,
            at=after,
        )


def _release_to_committee(committee: Committee, case: Case, plan: DemoCommittee, at: datetime) -> None:
    assert committee.provider is not None
    today = timezone.localdate(at)
    record_release(
        person=case.survivor,
        recipient=committee.provider,
        scope=["IDENTITY"],
        purpose=plan.release_purpose,
        signed_on=today - timedelta(days=20),
        expires_on=today + timedelta(days=180),
        consent_method="SIGNED_FORM",
        acting_user=None,
        at=at,
    )
