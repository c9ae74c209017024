"""Demo participants of the perpetrator programme: men in group work on anger, as the Shymkent NGO runs
for the men referred to it, and individual psychology sessions, as Ardabil's crisis centres offer in
Persian. Every name is invented. Called from `demo.load_demo` for an organisation it has just created;
does nothing for an organisation that already has participants or no programme worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from haven.orgs.models import Membership, Organisation
from haven.orgs.roles import Role
from haven.perpetrators import actions
from haven.perpetrators.models import Participant
from haven.risk.instrument import library


@dataclass(frozen=True)
class DemoMan:
    name: str
    language: str  # empty: the organisation's language
    referral_source: str
    sessions: tuple[tuple[str, bool, str], ...]  # kind, attended, notes
    odara_yes: int | None = None  # items present, when an ODARA was asked
    completed: str = ""  # the outcome, when he completed the programme
    summary: str = ""


_KAZAKHSTAN = (
    DemoMan(
        "Ерлан Демонстрационный",
        "ru",
        "SELF",
        (
            ("INDIVIDUAL", True, "Первая встреча: сам попросил помощи, говорит о вспышках гнева дома."),
            ("GROUP", True, "Групповое занятие: признаки нарастающего гнева, тайм-аут."),
            ("GROUP", False, ""),
        ),
        odara_yes=2,
    ),
    DemoMan(
        "Бауыржан Үлгілік",
        "kk",
        "COURT",
        (
            ("GROUP", True, "Ашуды басқару: тайм-аут жоспары."),
            ("GROUP", True, "Жауапкершілікті мойындау."),
            ("INDIVIDUAL", True, "Қорытынды әңгіме."),
        ),
        odara_yes=4,
        completed="SOME_CHANGE",
        summary="Прошёл все групповые занятия; пользуется планом тайм-аута.",
    ),
    DemoMan("Тимур Пробный", "ru", "PROBATION", ()),
)
_IRAN = (
    DemoMan(
        "رضا آزمایشی",
        "fa",
        "SOCIAL_SERVICES",
        (
            ("INDIVIDUAL", True, "جلسهٔ اول مشاورهٔ روان‌شناختی: شناخت نشانه‌های خشم."),
            ("INDIVIDUAL", True, "تمرین مهارت‌های ارتباطی و آرام‌سازی."),
        ),
        odara_yes=1,
    ),
    DemoMan("مهدی نمونه", "fa", "COURT", (("INDIVIDUAL", False, ""),)),
)
_ELSEWHERE = (
    DemoMan(
        "Demo Participant One",
        "",
        "SELF",
        (("GROUP", True, "First group session: noticing the early signs of anger."),),
        odara_yes=2,
    ),
    DemoMan("Demo Participant Two", "", "COURT", ()),
)
_BY_COUNTRY = {"KZ": _KAZAKHSTAN, "IR": _IRAN}


def _odara_answers(yes: int) -> dict[str, str]:
    items = [item.id for item in library().get("odara").items]
    return {item: ("yes" if n < yes else "no") for n, item in enumerate(items)}


def _load_one(org: Organisation, man: DemoMan, facilitator: Membership, at: datetime) -> Participant:
    joined = at - timedelta(days=10 * (len(man.sessions) + 1))
    participant = actions.register_participant(
        org=org,
        name=man.name,
        language=man.language or org.default_language,
        referral_source=man.referral_source,
        acting_user=None,
        at=joined,
    )
    if not man.sessions:
        return participant
    actions.change_status(participant=participant, to_status="ACTIVE", acting_user=None, at=joined)
    for n, (kind, attended, notes) in enumerate(man.sessions, start=1):
        actions.record_session(
            participant=participant,
            kind=kind,
            starts_at=joined + timedelta(days=7 * n),
            facilitator=facilitator,
            attended=attended,
            notes=notes,
            acting_user=None,
            at=at,
        )
    if man.odara_yes is not None:
        answers = _odara_answers(man.odara_yes)
        actions.record_odara(participant=participant, answers=answers, acting_user=None, at=joined)
    if man.completed:
        actions.record_completion(
            participant=participant,
            outcome=man.completed,
            completed_on=timezone.localdate(at),
            summary=man.summary,
            acting_user=None,
            at=at,
        )
    return participant


def load_demo_perpetrators(org: Organisation, at: datetime) -> None:
    facilitator = Membership.objects.filter(org=org, role=Role.PERPETRATOR_WORKER, is_active=True).first()
    if facilitator is None or Participant.objects.filter(org=org).exists():
        return
    for man in _BY_COUNTRY.get(org.country, _ELSEWHERE):
        _load_one(org, man, facilitator, at)
