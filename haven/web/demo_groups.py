"""Demo group work: in Quebec, the shelter's kitchen meetings and children's group (French titles) and an
awareness session for police officers; in Dhaka, a vocational training with an exam and certificates and an
awareness session for police (Bengali titles); in both, the #StopViolence campaign with its booklets and
brochures (2,000 and 600 copies, as in the seed) and a few distributions.

Everything goes through the verbs, as real work would. Known participants are the demo organisation's own
invented women and children (see demo_cases.py), so call this after `load_demo_cases`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from haven.groups import actions
from haven.groups.models import Activity, Material
from haven.orgs.models import Area, Membership, Organisation, Site
from haven.orgs.roles import Role
from haven.people.models import Person

# Per country: (kind, title, audience, site kind, facilitator role, places, sessions' topics).
_ACTIVITIES: dict[str, tuple[tuple[str, str, str, str, Role, int | None, tuple[str, ...]], ...]] = {
    "CA": (
        (
            "KITCHEN_MEETING",
            "Réunion de cuisine",
            "RESIDENTS",
            Site.Kind.SHELTER,
            Role.SHELTER_MANAGER,
            12,
            ("Menus de la semaine", "Partage des tâches"),
        ),
        (
            "CHILDRENS_GROUP",
            "Groupe des enfants",
            "CHILDREN",
            Site.Kind.SHELTER,
            Role.CHILD_EDUCATOR,
            10,
            ("Jeux et dessins", "Les émotions"),
        ),
        (
            "PROFESSIONAL_AWARENESS",
            "Sensibilisation des policiers à la violence conjugale",
            "PROFESSIONALS",
            Site.Kind.OFFICE,
            Role.CASEWORKER,
            40,
            ("Reconnaître la violence coercitive",),
        ),
    ),
    "BD": (
        (
            "VOCATIONAL_TRAINING",
            "সেলাই ও পোশাক তৈরি প্রশিক্ষণ",
            "WOMEN",
            Site.Kind.TRAINING_CENTRE,
            Role.PROGRAMME_OFFICER,
            25,
            ("সেলাই মেশিন পরিচিতি", "পোশাকের মাপ ও কাটিং", "চূড়ান্ত পরীক্ষা"),
        ),
        (
            "PROFESSIONAL_AWARENESS",
            "পুলিশ সদস্যদের জন্য পারিবারিক সহিংসতা বিষয়ক সচেতনতা সভা",
            "PROFESSIONALS",
            Site.Kind.ONE_STOP_CENTRE,
            Role.CASEWORKER,
            50,
            ("পারিবারিক সহিংসতা (প্রতিরোধ ও সুরক্ষা) আইন, ২০১০",),
        ),
    ),
}

# The seed campaign's materials, in the demo organisation's language.
_MATERIALS: dict[str, tuple[tuple[str, str, str, int], ...]] = {
    "CA": (
        (
            Material.Kind.BOOKLET,
            "Que faire si vous vivez de la violence conjugale",
            "Femmes victimes de violence",
            2000,
        ),
        (Material.Kind.BROCHURE, "Comment maîtriser sa colère ?", "Hommes auteurs de violence", 600),
    ),
    "BD": (
        (Material.Kind.BOOKLET, "পারিবারিক সহিংসতার শিকার হলে আপনার করণীয়", "সহিংসতার শিকার নারী", 2000),
        (Material.Kind.BROCHURE, "রাগ নিয়ন্ত্রণ করবেন কীভাবে?", "সহিংসতাকারী পুরুষ", 600),
    ),
}


def _member(org: Organisation, role: Role) -> Membership | None:
    return Membership.objects.filter(org=org, role=role, is_active=True).first()


def _site(org: Organisation, kind: str) -> Site | None:
    return Site.objects.filter(org=org, kind=kind).first()


def _people(org: Organisation, today: date) -> tuple[list[Person], list[Person]]:
    """The demo's women and children (under 18 on `today`): its invented survivors and their children."""
    adult_born = today.replace(year=today.year - 18)
    people = list(Person.objects.filter(org=org, merged_into__isnull=True).order_by("survivor_code"))
    children = [p for p in people if p.born_on is not None and p.born_on > adult_born]
    women = [p for p in people if p not in children and p.sex == Person.Sex.FEMALE]
    return women, children


def _run(
    org: Organisation, plan: tuple[str, str, str, str, Role, int | None, tuple[str, ...]], at: datetime
) -> Activity:
    kind, title, audience, site_kind, role, places, topics = plan
    today = timezone.localtime(at).date()
    facilitator = _member(org, role)
    activity = actions.create_activity(
        org=org,
        kind=kind,
        title=title,
        audience=audience,
        language=org.default_language,
        starts_on=today - timedelta(days=7 * len(topics) + 7),
        site=_site(org, site_kind),
        capacity=places,
        facilitators=[facilitator] if facilitator else [],
        acting_user=None,
        at=at,
    )
    for week, topic in enumerate(topics):
        actions.add_session(
            activity=activity,
            starts_at=at - timedelta(days=7 * (len(topics) - week)),
            topic=topic,
            facilitator=facilitator,
            acting_user=None,
            at=at,
        )
    return activity


def _attend(activity: Activity, people: list[Person], at: datetime) -> None:
    for session in activity.sessions.all():
        for person in people:
            actions.record_attendance(
                session=session, person=person, status="PRESENT", acting_user=None, at=at
            )


def _count(activity: Activity, cells: list[actions.HeadCount], at: datetime) -> None:
    for session in activity.sessions.all():
        actions.record_anonymous_counts(session=session, cells=cells, acting_user=None, at=at)


def _train(activity: Activity, women: list[Person], at: datetime) -> None:
    """Enrol the women, record their exam (the first two pass) and certify those who passed."""
    for index, woman in enumerate(women):
        enrolment = actions.enrol(activity=activity, person=woman, acting_user=None, at=at)
        result = actions.record_exam_result(
            enrolment=enrolment, score=82 - 20 * index, acting_user=None, at=at
        )
        if result.passed:
            actions.issue_certificate(activity=activity, person=woman, acting_user=None, at=at)


def _campaign(org: Organisation, at: datetime) -> None:
    today = timezone.localtime(at).date()
    campaign = actions.create_campaign(
        org=org,
        title="#StopViolence",
        starts_on=today - timedelta(days=90),
        ends_on=today + timedelta(days=90),
        goal="",
        acting_user=None,
        at=at,
    )
    area = Area.objects.filter(org=org).order_by("-level").first()
    for kind, title, audience, copies in _MATERIALS.get(org.country, ()):
        material = actions.add_material(
            campaign=campaign,
            kind=kind,
            title=title,
            language=org.default_language,
            audience=audience,
            quantity_produced=copies,
            acting_user=None,
            at=at,
        )
        for days_ago, share in ((60, 2), (20, 4)):
            actions.record_distribution(
                material=material,
                quantity=copies // share,
                distributed_on=today - timedelta(days=days_ago),
                area=area,
                acting_user=None,
                at=at,
            )


def load_demo_groups(org: Organisation, at: datetime) -> None:
    """Create the demo activities and campaign of a demo organisation just created (CA or BD)."""
    plans = _ACTIVITIES.get(org.country)
    if plans is None:
        return
    women, children = _people(org, timezone.localtime(at).date())
    for plan in plans:
        activity = _run(org, plan, at)
        if activity.kind == "CHILDRENS_GROUP":
            _attend(activity, children, at)
            _count(
                activity, [actions.HeadCount("FEMALE", "0_11", 3), actions.HeadCount("MALE", "0_11", 2)], at
            )
        elif activity.is_for_professionals:
            _count(
                activity,
                [
                    actions.HeadCount("MALE", "UNKNOWN", 18, "POLICE"),
                    actions.HeadCount("FEMALE", "UNKNOWN", 7, "POLICE"),
                    actions.HeadCount("FEMALE", "UNKNOWN", 4, "SOCIAL_WORK"),
                ],
                at,
            )
        elif activity.is_training:
            _attend(activity, women[:3], at)
            _count(
                activity,
                [actions.HeadCount("FEMALE", "25_59", 12), actions.HeadCount("FEMALE", "18_24", 6)],
                at,
            )
            _train(activity, women[:3], at)
        else:
            _attend(activity, women[:4], at)
            _count(activity, [actions.HeadCount("FEMALE", "25_59", 2)], at)
    _campaign(org, at)
