"""Demo survivor files: a few invented women per demo organisation, in the organisation's own language,
each with a case that shows what Haven records (incident, perpetrator, needs, plan, services, a meeting, a
note, follow-ups, a release and a referral). Everything goes through the verbs, as real work would.

Every name, phone number and story here is invented. Loaded once, with the organisation (see demo.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from haven.cases import actions as cases
from haven.cases import care_actions as care
from haven.cases.models import Appointment, Case, CaseService, NeedLevel
from haven.directory.models import Provider
from haven.orgs.models import Membership, Organisation
from haven.orgs.roles import Role
from haven.people import actions as people
from haven.people.models import HouseholdMember, Person
from haven.referrals import actions as referrals


@dataclass(frozen=True)
class DemoSurvivor:
    name: str
    latin_name: str
    phone: str
    born_on: date
    languages: tuple[str, ...]
    marital_status: str
    child: tuple[str, date] | None  # name and birth date of a child who comes with her
    story: str  # the incident narrative, in the organisation's language
    place_type: str
    acts: tuple[str, ...]  # GBVIMS act answers that are "yes"


_SURVIVORS: dict[str, tuple[DemoSurvivor, ...]] = {
    "maison-secours": (
        DemoSurvivor(
            "Julie Tremblay",
            "",
            "+1 514 555 0142",
            date(1988, 3, 14),
            ("fr", "en"),
            "SEPARATED",
            ("Léo Tremblay", date(2019, 6, 2)),
            "Il l'a poussée contre le mur et lui a pris son téléphone (récit inventé).",
            "HOME",
            ("physical_violence", "psychological_abuse", "perpetrator_is_intimate_partner"),
        ),
        DemoSurvivor(
            "لیلا احمدی",
            "Leila Ahmadi",
            "+1 438 555 0177",
            date(1992, 9, 30),
            ("fa", "fr"),
            "MARRIED",
            None,
            "Il contrôle tout son argent et ses papiers d'immigration (récit inventé).",
            "HOME",
            ("denial_of_resources", "psychological_abuse", "perpetrator_is_intimate_partner"),
        ),
    ),
    "dwa-dhaka": (
        DemoSurvivor(
            "রহিমা বেগম",
            "",
            "+880 1711 000111",
            date(1995, 1, 20),
            ("bn",),
            "ABANDONED",
            ("সুমাইয়া", date(2017, 4, 11)),
            "যৌতুকের জন্য স্বামী তাকে মারধর করেছে (কাল্পনিক বিবরণ)।",
            "HOME",
            ("physical_violence", "perpetrator_is_intimate_partner"),
        ),
        DemoSurvivor(
            "নাসরিন আক্তার",
            "Nasrin Akter",
            "+880 1812 000222",
            date(2006, 7, 5),
            ("bn",),
            "MARRIED",
            None,
            "১৬ বছর বয়সে জোর করে বিয়ে দেওয়া হয়েছিল (কাল্পনিক বিবরণ)।",
            "HOME",
            ("forced_marriage",),
        ),
    ),
}


@dataclass(frozen=True)
class DemoTexts:
    goal: str
    meeting_outcome: str
    note: str
    follow_up: str
    release_purpose: str
    referral_needs: str


_TEXTS: dict[str, DemoTexts] = {
    "maison-secours": DemoTexts(
        goal="Plan de sécurité convenu avec elle.",
        meeting_outcome="Plan de sécurité revu ensemble.",
        note="Appelée à l'heure convenue; elle va bien.",
        follow_up="Revoir le plan de sécurité",
        release_purpose="Préparer sa demande d'ordonnance de protection.",
        referral_needs="Conseils juridiques sur une ordonnance de protection.",
    ),
    "dwa-dhaka": DemoTexts(
        goal="তাঁর সঙ্গে নিরাপত্তা পরিকল্পনা ঠিক করা হয়েছে।",
        meeting_outcome="নিরাপত্তা পরিকল্পনা একসঙ্গে পর্যালোচনা করা হয়েছে।",
        note="নির্ধারিত সময়ে ফোন করা হয়েছে; তিনি ভালো আছেন।",
        follow_up="নিরাপত্তা পরিকল্পনা আবার দেখা",
        release_purpose="সুরক্ষা আদেশের আবেদন প্রস্তুত করা।",
        referral_needs="সুরক্ষা আদেশ বিষয়ে আইনি পরামর্শ।",
    ),
}


def load_demo_cases(org: Organisation, at: datetime) -> None:
    """Give each demo survivor of `org` her file and case, worked on by the organisation's caseworker."""
    lead = Membership.objects.get(org=org, role=Role.CASEWORKER)
    legal_aid = Provider.objects.filter(org=org, kind=Provider.Kind.LEGAL_AID).first()
    for index, survivor in enumerate(_SURVIVORS.get(org.slug, ())):
        started = at - timedelta(days=40 - 10 * index)
        person = _register(org, survivor, started)
        case = cases.open_case(survivor=person, lead=lead, acting_user=None, at=started)
        cases.activate_case(case=case, acting_user=None, at=started + timedelta(hours=1))
        _record_incident(case, survivor, started)
        texts = _TEXTS[org.slug]
        _plan_and_services(case, lead, texts, started)
        if legal_aid is not None and index == 0:
            _refer_with_release(case, legal_aid, texts, at)


def _register(org: Organisation, survivor: DemoSurvivor, at: datetime) -> Person:
    person = people.register_person(
        org=org,
        name=survivor.name,
        latin_name=survivor.latin_name,
        phone=survivor.phone,
        born_on=survivor.born_on,
        sex=Person.Sex.FEMALE,
        languages=list(survivor.languages),
        marital_status=survivor.marital_status,
        acting_user=None,
        at=at,
    )
    people.set_safe_contact(
        person=person,
        instructions={"safe_to_call": True, "safe_channel": "SMS", "safe_hours": "10:00–12:00"},
        acting_user=None,
        at=at,
    )
    if survivor.child is not None:
        _add_child(person, *survivor.child, at=at)
    return person


def _add_child(mother: Person, name: str, born_on: date, *, at: datetime) -> None:
    child = people.register_person(org=mother.org, name=name, born_on=born_on, acting_user=None, at=at)
    household = people.start_household(head=mother, acting_user=None, at=at)
    people.add_household_member(
        household=household,
        person=child,
        relationship=HouseholdMember.Relationship.CHILD,
        acting_user=None,
        at=at,
    )


def _record_incident(case: Case, survivor: DemoSurvivor, at: datetime) -> None:
    day = timezone.localdate(at)
    incident = cases.record_incident(
        case=case,
        acting_user=None,
        at=at,
        occurred_on=day - timedelta(days=3),
        reported_on=day,
        place_type=survivor.place_type,
        narrative=survivor.story,
        consent_to_statistics=True,
        **dict.fromkeys(survivor.acts, True),
    )
    cases.add_alleged_perpetrator(
        incident=incident,
        acting_user=None,
        at=at,
        relationship="INTIMATE_PARTNER",
        sex="MALE",
        age_group="AGE_26_40",
        lives_with_survivor=True,
        prior_violence=True,
    )


def _plan_and_services(case: Case, lead: Membership, texts: DemoTexts, at: datetime) -> None:
    day = timezone.localdate(at)
    levels = {"safety": NeedLevel.URGENT, "legal": NeedLevel.SOME, "psychosocial": NeedLevel.SOME}
    care.assess_needs(case=case, occasion="INTAKE", assessed_on=day, levels=levels, acting_user=None, at=at)
    care.add_goal(case=case, domain="SAFETY", description=texts.goal, acting_user=None, at=at)
    care.record_service(
        case=case,
        kind="CRISIS_COUNSELLING",
        status=CaseService.Status.PROVIDED,
        started_on=day,
        provided_by=lead,
        acting_user=None,
        at=at,
    )
    meeting = care.record_appointment(
        case=case,
        worker=lead,
        starts_at=at + timedelta(days=2),
        duration_minutes=60,
        mode=Appointment.Mode.IN_PERSON,
        status=Appointment.Status.HELD,
        outcome=texts.meeting_outcome,
        acting_user=None,
        at=at + timedelta(days=2, hours=2),
    )
    care.write_note(
        case=case, text=texts.note, appointment=meeting, acting_user=None, at=at + timedelta(days=3)
    )
    cases.schedule_follow_up(
        case=case,
        title=texts.follow_up,
        due_on=day + timedelta(days=30),
        is_safety_critical=True,
        acting_user=None,
        at=at,
    )


def _refer_with_release(case: Case, provider: Provider, texts: DemoTexts, at: datetime) -> None:
    today = timezone.localdate(at)
    release = referrals.record_release(
        person=case.survivor,
        recipient=provider,
        scope=["IDENTITY", "CONTACT"],
        purpose=texts.release_purpose,
        signed_on=today,
        expires_on=today + timedelta(days=90),
        consent_method="SIGNED_FORM",
        acting_user=None,
        at=at,
    )
    referrals.send_referral(
        case=case,
        kind="EXTERNAL",
        service="LEGAL_INFORMATION",
        needs=texts.referral_needs,
        provider=provider,
        release=release,
        contact_back="Caseworker desk (demo)",
        acting_user=None,
        at=at,
    )
