"""The demo: two organisations from the seed services, with sites, areas and a member of staff in every role.

All names are invented. Loading twice changes nothing: each organisation is created only if its short name
is new. The demo organisations switch the authenticator step off so the logins work at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from haven.accounts.actions import create_staff_member
from haven.orgs import actions
from haven.orgs.models import Area, Calendar, Organisation, Site
from haven.orgs.roles import Role
from haven.web.demo_associations import load_demo_associations
from haven.web.demo_benefits import load_demo_benefits
from haven.web.demo_cases import load_demo_cases
from haven.web.demo_committees import load_demo_committees
from haven.web.demo_counselling import load_demo_counselling
from haven.web.demo_distribution import load_demo_distribution
from haven.web.demo_documents import load_demo_documents
from haven.web.demo_groups import load_demo_groups
from haven.web.demo_legal import load_demo_legal
from haven.web.demo_loans import load_demo_loans
from haven.web.demo_payments import load_demo_payments
from haven.web.demo_perpetrators import load_demo_perpetrators
from haven.web.demo_selection import load_demo_selection
from haven.web.demo_shelters import load_demo_shelters
from haven.web.demo_supporters import load_demo_supporters
from haven.web.demo_training import load_demo_training

DEMO_PASSWORD = "haven-demo-2026"
COORDINATOR = "net.data-officer"


@dataclass(frozen=True)
class DemoOrg:
    slug: str
    name: str
    country: str
    language: str
    calendar: str
    areas: tuple[tuple[str, int], ...]  # a chain from country down; each belongs to the one before
    sites: tuple[tuple[str, str, str], ...]  # name, kind, address
    staff_languages: tuple[str, ...]


QUEBEC = DemoOrg(
    slug="maison-secours",
    name="Maison Secours aux Femmes (démo)",
    country="CA",
    language="fr",
    calendar=Calendar.GREGORIAN,
    areas=(("Canada", 1), ("Québec", 2), ("Montréal", 3)),
    sites=(
        ("Maison d'hébergement", Site.Kind.SHELTER, "Adresse confidentielle fictive, Montréal"),
        ("Ligne d'écoute 24/7", Site.Kind.HELPLINE, ""),
        ("Bureau du suivi externe", Site.Kind.OFFICE, "1000 rue Fictive, Montréal"),
    ),
    staff_languages=("fr", "en", "es", "ar", "ur", "pa", "hi", "fa"),
)
BANGLADESH = DemoOrg(
    slug="dwa-dhaka",
    name="মহিলা বিষয়ক অধিদপ্তর, জেলা কার্যালয় ঢাকা (ডেমো)",
    country="BD",
    language="bn",
    calendar=Calendar.BENGALI,
    areas=(("বাংলাদেশ", 1), ("ঢাকা বিভাগ", 2), ("ঢাকা জেলা", 3), ("সাভার উপজেলা", 4), ("আশুলিয়া ইউনিয়ন", 5)),
    sites=(
        ("ওয়ান-স্টপ ক্রাইসিস সেন্টার", Site.Kind.ONE_STOP_CENTRE, "কাল্পনিক ঠিকানা, ঢাকা মেডিকেল কলেজ"),
        ("জাতীয় হেল্পলাইন ১০৯", Site.Kind.HELPLINE, ""),
        ("মহিলা প্রশিক্ষণ কেন্দ্র", Site.Kind.TRAINING_CENTRE, "কাল্পনিক ঠিকানা, সাভার"),
        ("নিরাপদ আবাসন কেন্দ্র", Site.Kind.SHELTER, "গোপন কাল্পনিক ঠিকানা"),
    ),
    staff_languages=("bn", "en", "bn", "ru", "kk", "bn"),
)
DEMO_ORGS = (QUEBEC, BANGLADESH)
# Invented names, one per role, so a tester can tell the logins apart.
_FIRST_NAMES = (
    "Amina",
    "Claire",
    "Rokeya",
    "Leila",
    "Sofia",
    "Nasrin",
    "Priya",
    "Aigerim",
    "Marie",
    "Farida",
    "Olga",
    "Shirin",
    "Lucía",
)


@dataclass(frozen=True)
class DemoLogin:
    org: str
    username: str
    role: str
    language: str


def _username(demo: DemoOrg, role: Role) -> str:
    prefix = "qc" if demo is QUEBEC else "bd"
    return f"{prefix}.{role.value.lower().replace('_', '-')}"


def _create_org(demo: DemoOrg, at: datetime) -> Organisation:
    org = actions.create_organisation(
        name=demo.name,
        slug=demo.slug,
        country=demo.country,
        default_language=demo.language,
        default_calendar=demo.calendar,
        acting_user=None,
        at=at,
        is_demo=True,
    )
    # The demo turns the authenticator step off so its printed logins work straight away.
    org.totp_required_roles = []
    org.save(update_fields=["totp_required_roles"])
    return org


def _create_places(org: Organisation, demo: DemoOrg, at: datetime) -> list[Site]:
    admin = None
    parent: Area | None = None
    for name, level in demo.areas:
        parent = actions.create_area(org=org, name=name, level=level, parent=parent, acting_user=admin, at=at)
    return [
        actions.create_site(
            org=org, name=name, kind=kind, area=parent, address=address, acting_user=admin, at=at
        )
        for name, kind, address in demo.sites
    ]


def load_demo(*, at: datetime) -> list[DemoLogin]:
    """Create the demo organisations that do not exist yet; return every demo login."""
    logins: list[DemoLogin] = []
    for demo in DEMO_ORGS:
        with transaction.atomic():
            org = Organisation.objects.filter(slug=demo.slug).first()
            if org is None:
                org = _create_org(demo, at)
                sites = _create_places(org, demo, at)
                _create_providers(org, demo, at)
                for index, role in enumerate(Role):
                    language = demo.staff_languages[index % len(demo.staff_languages)]
                    create_staff_member(
                        org=org,
                        username=_username(demo, role),
                        password=DEMO_PASSWORD,
                        first_name=_FIRST_NAMES[index % len(_FIRST_NAMES)],
                        last_name="Demo",
                        role=role,
                        site=sites[0] if role.manages_sites and not role.manages_org else None,
                        language=language,
                        acting_user=None,
                        at=at,
                    )
                load_demo_cases(org, at)
                load_demo_shelters(org, sites, at)
                load_demo_legal(org, at)
                load_demo_documents(org, at)
                load_demo_counselling(org, at)
                load_demo_committees(org, at)
                load_demo_groups(org, at)
                load_demo_perpetrators(org, at)
                load_demo_supporters(org, at)
                load_demo_benefits(org, at)
                load_demo_selection(org, at)
                load_demo_distribution(org, at)
                load_demo_payments(org, at)
                load_demo_loans(org, at)
                load_demo_associations(org, at)
                load_demo_training(org, at)
        members = org.memberships.exclude(user__username=COORDINATOR).select_related("user")
        for membership in members.order_by("user__username"):
            logins.append(
                DemoLogin(
                    org.name,
                    membership.user.username,
                    str(membership.get_role_display()),
                    membership.user.language,
                )
            )
    _set_demo_calendars()
    logins += _network_coordinator(at)
    return logins


# Invented directory entries: a legal-aid office and a health facility for each demo organisation.
_PROVIDERS: dict[str, tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], str], ...]] = {
    "maison-secours": (
        (
            "Clinique juridique communautaire (démo)",
            "LEGAL_AID",
            ("LEGAL_INFORMATION", "PROTECTION_ORDER", "IMMIGRATION_HELP"),
            ("fr", "en", "es"),
            "Lundi au vendredi 9 h – 17 h",
        ),
        (
            "CLSC du quartier (démo)",
            "HEALTH",
            ("INJURY_CARE", "SEXUAL_ASSAULT_CARE", "MENTAL_HEALTH"),
            ("fr", "en"),
            "",
        ),
    ),
    "dwa-dhaka": (
        (
            "জাতীয় আইনগত সহায়তা সংস্থা, ঢাকা (ডেমো)",
            "LEGAL_AID",
            ("LEGAL_INFORMATION", "LEGAL_REPRESENTATION"),
            ("bn",),
            "রবি–বৃহস্পতি ৯টা–৫টা",
        ),
        (
            "উপজেলা স্বাস্থ্য কমপ্লেক্স, সাভার (ডেমো)",
            "HEALTH",
            ("INJURY_CARE", "SEXUAL_ASSAULT_CARE", "MEDICO_LEGAL", "DNA_TEST"),
            ("bn", "en"),
            "",
        ),
    ),
}


def _create_providers(org: Organisation, demo: DemoOrg, at: datetime) -> None:
    from haven.directory.actions import create_provider

    areas = list(Area.objects.filter(org=org).order_by("-level")[:1])
    for name, kind, services, languages, hours in _PROVIDERS[demo.slug]:
        create_provider(
            org=org,
            name=name,
            kind=kind,
            services=services,
            languages=list(languages),
            hours=hours,
            open_24_7=not hours,
            areas=areas,
            acting_user=None,
            at=at,
        )


def _network_coordinator(at: datetime) -> list[DemoLogin]:
    """One person who works for both organisations, to show the explicit organisation switch."""
    from haven.accounts.models import User

    quebec, dhaka = (Organisation.objects.get(slug=demo.slug) for demo in DEMO_ORGS)
    user = User.objects.filter(username=COORDINATOR).first()
    if user is None:
        with transaction.atomic():
            first = create_staff_member(
                org=quebec,
                username=COORDINATOR,
                password=DEMO_PASSWORD,
                first_name="Dana",
                last_name="Demo",
                role=Role.DATA_OFFICER,
                site=None,
                language="en",
                acting_user=None,
                at=at,
            )
            actions.add_membership(
                org=dhaka, user=first.user, role=Role.DATA_OFFICER, acting_user=None, at=at
            )
    both = f"{quebec.name} + {dhaka.name}"
    return [DemoLogin(both, COORDINATOR, str(Role.DATA_OFFICER.label), "en")]


def _set_demo_calendars() -> None:
    """The Persian-speaking demo counsellor writes dates in the Solar Hijri calendar."""
    from haven.accounts.models import User

    User.objects.filter(username__startswith="qc.", language="fa", calendar="").update(
        calendar=Calendar.SOLAR_HIJRI
    )
