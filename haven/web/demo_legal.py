"""Demo legal aid: the organisation's lawyer on its advocates panel and on its demo survivors' case teams,
an external advocate empanelled by a legal services authority, and on the first demo case a matter
with a hearing held last week (adjourned to a date to come) and a consultation logged as a service.

Every name here is invented. Called from `demo.load_demo` after `load_demo_cases`, for an organisation it
has just created; everything goes through the verbs, as real work would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from haven.cases import actions as cases
from haven.cases.models import Case, CaseAssignment
from haven.legal import actions
from haven.legal.models import Advocate, Hearing, Matter
from haven.orgs.models import Membership, Organisation
from haven.orgs.roles import Role


@dataclass(frozen=True)
class DemoLegal:
    languages: tuple[str, ...]
    advocate: str
    registration: str
    empanelled_by: str
    kind: str
    court: str
    opponent: str
    notes: str
    result_note: str


_DEMO: dict[str, DemoLegal] = {
    "BD": DemoLegal(
        languages=("bn", "en"),
        advocate="অ্যাডভোকেট দিলরুবা তাহমিনা (কাল্পনিক)",
        registration="ঢাকা বার ০০০০",
        empanelled_by="জেলা লিগ্যাল এইড কমিটি, ঢাকা",
        kind=Matter.Kind.DOWRY,
        court="চিফ জুডিশিয়াল ম্যাজিস্ট্রেট আদালত, ঢাকা",
        opponent="করিম মিয়া (কাল্পনিক)",
        notes="যৌতুকের দাবিতে নির্যাতনের মামলা; ভরণপোষণও চাওয়া হবে (কাল্পনিক)।",
        result_note="আসামিপক্ষ সময় চেয়েছে (কাল্পনিক)।",
    ),
    "CA": DemoLegal(
        languages=("fr", "en"),
        advocate="Me Sophie Gagnon (fictive)",
        registration="Barreau du Québec 000000",
        empanelled_by="Commission des services juridiques (aide juridique)",
        kind=Matter.Kind.CUSTODY,
        court="Cour supérieure du Québec, Montréal",
        opponent="Marc Lavoie (fictif)",
        notes="Garde de l'enfant et droits d'accès supervisés (récit inventé).",
        result_note="Remise à la demande de la partie adverse (récit inventé).",
    ),
}


def load_demo_legal(org: Organisation, at: datetime) -> None:
    """Add the panel, put the lawyer on the demo cases, and open one matter with its history."""
    demo = _DEMO.get(org.country)
    lawyer = Membership.objects.filter(org=org, role=Role.LAWYER).first()
    demo_cases = list(Case.objects.filter(org=org).order_by("opened_at"))
    if demo is None or lawyer is None or not demo_cases:
        return
    in_house = actions.add_advocate(
        org=org,
        kind=Advocate.Kind.IN_HOUSE,
        membership=lawyer,
        languages=demo.languages,
        acting_user=None,
        at=at,
    )
    external = actions.add_advocate(
        org=org,
        kind=Advocate.Kind.EXTERNAL,
        name=demo.advocate,
        registration_number=demo.registration,
        empanelled_by=demo.empanelled_by,
        languages=demo.languages,
        areas=[Matter.Kind.PROTECTION_ORDER, Matter.Kind.DIVORCE, Matter.Kind.CUSTODY, Matter.Kind.DOWRY],
        max_active_matters=8,
        acting_user=None,
        at=at,
    )
    for case in demo_cases:
        cases.assign_worker(
            case=case,
            membership=lawyer,
            role_in_case=CaseAssignment.RoleInCase.SUPPORT,
            acting_user=None,
            at=at,
        )
    _matter_with_history(demo_cases[0], demo, lawyer, in_house, external, at)


def _matter_with_history(
    case: Case, demo: DemoLegal, lawyer: Membership, in_house: Advocate, external: Advocate, at: datetime
) -> None:
    opened_at = case.opened_at + timedelta(days=5)
    user = lawyer.user
    matter = actions.open_matter(
        case=case,
        kind=demo.kind,
        opened_on=timezone.localdate(opened_at),
        court=demo.court,
        opposing_party_name=demo.opponent,
        opposing_party_relationship=Matter.Relationship.HUSBAND,
        notes=demo.notes,
        advocate=external,
        acting_user=user,
        at=opened_at,
    )
    actions.log_consultation(
        case=case,
        matter=matter,
        advocate=in_house,
        held_at=opened_at,
        modality="IN_PERSON",
        duration_minutes=45,
        acting_user=user,
        at=opened_at,
    )
    actions.transition_matter(matter=matter, verb="file", acting_user=user, at=opened_at + timedelta(days=2))
    held = _ten_in_the_morning(at - timedelta(days=7))
    hearing = actions.schedule_hearing(
        matter=matter, starts_at=held, purpose=Hearing.Purpose.FIRST_HEARING, acting_user=user, at=opened_at
    )
    actions.record_hearing_result(
        hearing=hearing,
        result=Hearing.Result.ADJOURNED,
        note=demo.result_note,
        next_starts_at=_ten_in_the_morning(at + timedelta(days=10)),
        next_purpose=Hearing.Purpose.EVIDENCE,
        acting_user=user,
        at=held + timedelta(hours=3),
    )


def _ten_in_the_morning(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(hour=10, minute=0, second=0, microsecond=0)
