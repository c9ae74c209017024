"""Verbs for activities, sessions, attendance, head counts, courses and campaigns.

Each verb checks its input, then, in one transaction, locks what a concurrent writer could change, checks
again what depends on it, saves and writes its audit entry (field names only). A refusal is a
`ValidationError` keyed by the field at fault, with a sentence that says what to do instead; nothing is
written when one is raised.

Two counts are guarded under a row lock so that two people recording at once cannot both slip past:
a session's places (known persons present plus anonymous counts; the session row is locked) and a
material's copies (produced minus distributed; the material row is locked).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.groups.models import (
    Activity,
    ActivityKind,
    ActivitySession,
    AgeGroup,
    AnonymousCount,
    Attendance,
    Audience,
    Campaign,
    Certificate,
    Distribution,
    Enrolment,
    Institution,
    Material,
    Sex,
    age_group_of,
    sex_of,
)
from haven.orgs.models import Area, Membership, Organisation, Site
from haven.orgs.validation import refused_if_taken
from haven.people.models import Person
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

ACTIVITY_CREATE = audit.register_action("group_activity.create", "A group activity or training was created")
SESSION_CREATE = audit.register_action("group_session.create", "A session of a group activity was planned")
ATTENDANCE_RECORD = audit.register_action("group_attendance.record", "Attendance at a session was recorded")
ATTENDANCE_VIEW = audit.register_action(
    "group_attendance.view", "The names of the people at a session were shown", read=True
)
HEADCOUNT_RECORD = audit.register_action(
    "group_headcount.record", "Anonymous participants of a session were counted"
)
ENROLMENT_CREATE = audit.register_action("group_enrolment.create", "A person was enrolled in a training")
EXAM_RECORD = audit.register_action("group_exam.record", "An exam result was recorded")
CERTIFICATE_ISSUE = audit.register_action("group_certificate.issue", "A training certificate was issued")
CERTIFICATE_PRINT = audit.register_action(
    "group_certificate.print", "A training certificate was printed", read=True
)
CAMPAIGN_CREATE = audit.register_action("awareness_campaign.create", "An awareness campaign was created")
MATERIAL_CREATE = audit.register_action("campaign_material.create", "A campaign material was added")
DISTRIBUTION_RECORD = audit.register_action(
    "campaign_distribution.record", "Copies of a campaign material were handed out"
)

DEFAULT_PASS_MARK = 50
MAX_COUNT = 100_000
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def _audit(
    action: str, obj: Any, org: Organisation | Any, acting_user: User | None, at: datetime, **kw: Any
) -> None:
    audit.record(action=action, actor=acting_user, org=org, obj=obj, at=at, **kw)


def _org_of(obj: Any) -> Organisation:
    org: Organisation = Organisation.objects.get(pk=obj.org_id)
    return org


# --- shared checks ---------------------------------------------------------------------------------------


def _check_choice(field: str, value: str, choices: Iterable[str], message: str) -> None:
    if value not in set(choices):
        raise ValidationError({field: message})


def _check_language(field: str, language: str) -> None:
    _check_choice(field, language, LANGUAGE_CODES, _("Choose one of Haven's languages."))


def _check_text(field: str, text: str, limit: int, required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field cannot be empty.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("This text is too long (at most %(max)s characters).") % {"max": limit}}
        )
    return text


def _check_site(site: Site | None, org_id: Any) -> None:
    if site is not None and (site.org_id != org_id or not site.is_active):
        raise ValidationError({"site": _("Choose an active site of your organisation.")})


def _check_member(field: str, membership: Membership | None, org_id: Any) -> None:
    if membership is not None and (membership.org_id != org_id or not membership.is_active):
        raise ValidationError({field: _("Choose an active member of your organisation's staff.")})


def _check_period(starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot come before the start.")})


def _check_capacity(capacity: int | None) -> None:
    if capacity is not None and not 1 <= capacity <= MAX_COUNT:
        raise ValidationError({"capacity": _("Give at least one place, or leave it empty for no limit.")})


def _check_person(person: Person, org_id: Any) -> None:
    if person.org_id != org_id or person.merged_into_id is not None:
        raise ValidationError({"person": _("Choose a person registered in your organisation.")})


# --- activities and sessions -----------------------------------------------------------------------------


def create_activity(
    *,
    org: Organisation,
    kind: str,
    title: str,
    audience: str,
    language: str,
    starts_on: date,
    acting_user: User | None,
    at: datetime,
    ends_on: date | None = None,
    site: Site | None = None,
    capacity: int | None = None,
    facilitators: Sequence[Membership] = (),
    description: str = "",
    pass_mark: int | None = None,
) -> Activity:
    """An activity of `kind`. Trainings get an exam pass mark (50 out of 100 unless given); other kinds
    have no exam, so a pass mark for them is refused rather than silently dropped."""
    _check_choice("kind", kind, ActivityKind.values, _("Choose the kind of activity."))
    _check_choice("audience", audience, Audience.values, _("Say whom the activity is for."))
    _check_language("language", language)
    _check_period(starts_on, ends_on)
    _check_capacity(capacity)
    _check_site(site, org.pk)
    for membership in facilitators:
        _check_member("facilitators", membership, org.pk)
    activity = Activity(
        org=org,
        kind=kind,
        title=_check_text("title", title, 200),
        description=_check_text("description", description, 4000, required=False),
        audience=audience,
        language=language,
        starts_on=starts_on,
        ends_on=ends_on,
        site=site,
        capacity=capacity,
        created_at=at,
        created_by=acting_user,
    )
    activity.pass_mark = _pass_mark(activity, pass_mark)
    with transaction.atomic():
        activity.save()
        activity.facilitators.set(facilitators)
        _audit(ACTIVITY_CREATE, activity, org, acting_user, at, fields=["kind", "title", "audience"])
    return activity


def _pass_mark(activity: Activity, pass_mark: int | None) -> int | None:
    if not activity.is_training:
        if pass_mark is not None:
            raise ValidationError({"pass_mark": _("Only trainings have an exam: leave the pass mark empty.")})
        return None
    if pass_mark is None:
        return DEFAULT_PASS_MARK
    if not 0 <= pass_mark <= 100:
        raise ValidationError({"pass_mark": _("The pass mark is out of 100.")})
    return pass_mark


def _check_session_day(activity: Activity, starts_at: datetime) -> None:
    day = timezone.localtime(starts_at).date() if timezone.is_aware(starts_at) else starts_at.date()
    if day < activity.starts_on or (activity.ends_on is not None and day > activity.ends_on):
        raise ValidationError(
            {
                "starts_at": _(
                    "A session must fall within the activity's dates; change the activity's dates first."
                )
            }
        )


def add_session(
    *,
    activity: Activity,
    starts_at: datetime,
    acting_user: User | None,
    at: datetime,
    site: Site | None = None,
    place: str = "",
    facilitator: Membership | None = None,
    language: str = "",
    capacity: int | None = None,
    topic: str = "",
    notes: str = "",
) -> ActivitySession:
    """A session of the activity. Place, language and places default to the activity's. The place is a
    site of the organisation or a short description; a shelter is only ever shown by its name."""
    _check_session_day(activity, starts_at)
    _check_site(site, activity.org_id)
    _check_member("facilitator", facilitator, activity.org_id)
    _check_capacity(capacity)
    language = language or activity.language
    _check_language("language", language)
    session = ActivitySession(
        org_id=activity.org_id,
        activity=activity,
        starts_at=starts_at,
        site=site if site is not None or place.strip() else activity.site,
        place=_check_text("place", place, 120, required=False),
        facilitator=facilitator,
        language=language,
        capacity=capacity if capacity is not None else activity.capacity,
        topic=_check_text("topic", topic, 200, required=False),
        notes=_check_text("notes", notes, 4000, required=False),
        created_at=at,
        created_by=acting_user,
    )
    with transaction.atomic():
        session.save()
        _audit(SESSION_CREATE, session, _org_of(activity), acting_user, at, fields=["starts_at", "place"])
    return session


# --- who came: known persons and anonymous counts --------------------------------------------------------


def _lock_session(session: ActivitySession) -> ActivitySession:
    locked: ActivitySession = ActivitySession.objects.select_for_update().get(pk=session.pk)
    return locked


def _refuse_before_it_starts(session: ActivitySession, at: datetime, field: str) -> None:
    """Who came is known once the session has started; a mark made earlier is a guess that the
    figures would count as fact."""
    if session.starts_at > at:
        raise ValidationError({field: _("This session has not happened yet: record who came once it has.")})


def counted_at(
    session: ActivitySession, *, except_person: Any = None, anonymous: bool = True
) -> tuple[int, int]:
    """(known persons present, anonymous participants) of a session, leaving one person out if asked."""
    present = Attendance.objects.filter(session=session, status=Attendance.Status.PRESENT)
    if except_person is not None:
        present = present.exclude(person_id=except_person)
    total = (
        AnonymousCount.objects.filter(session=session).aggregate(total=Sum("count"))["total"]
        if anonymous
        else 0
    )
    return present.count(), int(total or 0)


def _refuse_over_capacity(session: ActivitySession, known: int, anonymous: int, field: str) -> None:
    """Refuse when known + anonymous would exceed the session's places, naming the places and how many
    are already counted (with the figures as they stand before this change)."""
    if session.capacity is None or known + anonymous <= session.capacity:
        return
    now_known, now_anonymous = counted_at(session)
    raise ValidationError(
        {
            field: _(
                "This session has %(capacity)s places and %(counted)s people are already counted "
                "(%(known)s known, %(anonymous)s anonymous): this would make %(asked)s. Record fewer, "
                "or give the session more places."
            )
            % {
                "capacity": session.capacity,
                "counted": now_known + now_anonymous,
                "known": now_known,
                "anonymous": now_anonymous,
                "asked": known + anonymous,
            }
        }
    )


def record_attendance(
    *, session: ActivitySession, person: Person, status: str, acting_user: User | None, at: datetime
) -> Attendance:
    """Record whether a known person came (present, absent, excused); once per person and session, a
    second recording corrects the first. Someone present takes a place; absent or excused takes none."""
    _check_person(person, session.org_id)
    _check_choice(
        "status", status, Attendance.Status.values, _("Say whether she was present, absent or excused.")
    )
    _refuse_before_it_starts(session, at, "status")
    with transaction.atomic():
        locked = _lock_session(session)
        if status == Attendance.Status.PRESENT:
            known, anonymous = counted_at(locked, except_person=person.pk)
            _refuse_over_capacity(locked, known + 1, anonymous, "person")
        day = timezone.localtime(locked.starts_at).date()
        attendance, _created = Attendance.objects.update_or_create(
            session=locked,
            person=person,
            defaults={
                "org_id": locked.org_id,
                "status": status,
                "sex": sex_of(person),
                "age_group": age_group_of(person.born_on, day),
                "recorded_at": at,
                "recorded_by": acting_user,
            },
        )
        _audit(ATTENDANCE_RECORD, attendance, _org_of(locked), acting_user, at, fields=["status"])
    return attendance


def record_session_names_view(*, session: ActivitySession, acting_user: User | None, at: datetime) -> None:
    """The session page showed the names of the people at it: one read entry for the list."""
    _audit(ATTENDANCE_VIEW, session, _org_of(session), acting_user, at)


@dataclass(frozen=True)
class HeadCount:
    """One cell of the anonymous-participants grid; a count of 0 clears the cell."""

    sex: str
    age_group: str
    count: int
    institution: str = ""


def _check_cells(session: ActivitySession, cells: Sequence[HeadCount]) -> None:
    professional = session.activity.is_for_professionals
    seen: set[tuple[str, str, str]] = set()
    for cell in cells:
        _check_choice("counts", cell.sex, Sex.values, _("Each count needs a sex: female, male, or other."))
        _check_choice("counts", cell.age_group, AgeGroup.values, _("Each count needs one of the age groups."))
        if cell.institution and (not professional or cell.institution not in Institution.values):
            raise ValidationError(
                {"counts": _("Institutions are counted at awareness sessions for professionals only.")}
            )
        if not 0 <= cell.count <= MAX_COUNT:
            raise ValidationError({"counts": _("Each count is a whole number from 0 to 100,000.")})
        key = (cell.sex, cell.age_group, cell.institution)
        if key in seen:
            raise ValidationError({"counts": _("The same group is counted twice; give each group once.")})
        seen.add(key)


def record_anonymous_counts(
    *, session: ActivitySession, cells: Sequence[HeadCount], acting_user: User | None, at: datetime
) -> list[AnonymousCount]:
    """Set the given cells of the session's anonymous counts (cells not given stay as they are). The
    whole change is refused if, with the known persons present, it would pass the session's places."""
    _check_cells(session, cells)
    _refuse_before_it_starts(session, at, "counts")
    with transaction.atomic():
        locked = _lock_session(session)
        current = {
            (c.sex, c.age_group, c.institution): c for c in AnonymousCount.objects.filter(session=locked)
        }
        after = {key: row.count for key, row in current.items()}
        for cell in cells:
            after[(cell.sex, cell.age_group, cell.institution)] = cell.count
        known, _anonymous = counted_at(locked, anonymous=False)
        _refuse_over_capacity(locked, known, sum(after.values()), "counts")
        _write_cells(locked, current, cells)
        _audit(HEADCOUNT_RECORD, locked, _org_of(locked), acting_user, at, fields=["count"])
    return list(AnonymousCount.objects.filter(session=locked))


def _write_cells(
    session: ActivitySession, current: dict[tuple[str, str, str], AnonymousCount], cells: Sequence[HeadCount]
) -> None:
    for cell in cells:
        row = current.get((cell.sex, cell.age_group, cell.institution))
        if cell.count == 0:
            if row is not None:
                row.delete()
        elif row is None:
            AnonymousCount.objects.create(
                org_id=session.org_id,
                session=session,
                sex=cell.sex,
                age_group=cell.age_group,
                institution=cell.institution,
                count=cell.count,
            )
        elif row.count != cell.count:
            row.count = cell.count
            row.save(update_fields=["count"])


# --- courses ---------------------------------------------------------------------------------------------


def _require_training(activity: Activity, field: str = "activity") -> None:
    if not activity.is_training:
        raise ValidationError(
            {field: _("Only trainings (life skills, vocational, gender and digital rights) have enrolment.")}
        )


def enrol(*, activity: Activity, person: Person, acting_user: User | None, at: datetime) -> Enrolment:
    """Enrol a known person in a training, once."""
    _require_training(activity)
    _check_person(person, activity.org_id)
    if Enrolment.objects.filter(activity=activity, person=person).exists():
        raise ValidationError({"person": _("She is already enrolled in this training.")})
    enrolment = Enrolment(
        org_id=activity.org_id, activity=activity, person=person, enrolled_at=at, created_by=acting_user
    )
    # She may be enrolled at the same moment by someone else.
    with refused_if_taken("person", _("She is already enrolled in this training.")):
        enrolment.save()
        _audit(ENROLMENT_CREATE, enrolment, _org_of(activity), acting_user, at, fields=["person"])
    return enrolment


def record_exam_result(
    *, enrolment: Enrolment, score: int, acting_user: User | None, at: datetime
) -> Enrolment:
    """Her exam score out of 100; she passed when it reaches the training's pass mark. A score can be
    corrected until a certificate is issued on it."""
    if not isinstance(score, int) or not 0 <= score <= 100:
        raise ValidationError({"score": _("Give the score as a whole number from 0 to 100.")})
    with transaction.atomic():
        locked: Enrolment = (
            Enrolment.objects.select_for_update().select_related("activity").get(pk=enrolment.pk)
        )
        if Certificate.objects.filter(enrolment=locked).exists():
            raise ValidationError({"score": _("A certificate was issued on this result; it cannot change.")})
        pass_mark = locked.activity.pass_mark if locked.activity.pass_mark is not None else DEFAULT_PASS_MARK
        locked.exam_score = score
        locked.passed = score >= pass_mark
        locked.examined_at = at
        locked.save(update_fields=["exam_score", "passed", "examined_at"])
        _audit(EXAM_RECORD, locked, _org_of(locked), acting_user, at, fields=["exam_score", "passed"])
    return locked


def _certificate_language(person: Person, activity: Activity, language: str) -> str:
    """The language asked for, else the first of hers Haven speaks, else the training's."""
    if language:
        _check_language("language", language)
        return language
    spoken = [code for code in person.languages or [] if code in LANGUAGE_CODES]
    return spoken[0] if spoken else activity.language


def _next_number(org_id: Any, year: int) -> str:
    prefix = f"{year}-"
    numbers = Certificate.objects.filter(org_id=org_id, number__startswith=prefix).values_list(
        "number", flat=True
    )
    highest = max(
        (int(n.removeprefix(prefix)) for n in numbers if n.removeprefix(prefix).isdigit()), default=0
    )
    return f"{prefix}{highest + 1:04d}"


def issue_certificate(
    *, activity: Activity, person: Person, acting_user: User | None, at: datetime, language: str = ""
) -> Certificate:
    """A certificate for a participant who passed the training's exam, numbered YEAR-NNNN in the
    organisation. Refused to anyone not enrolled, not yet examined or who did not pass, and given once."""
    _require_training(activity)
    _check_person(person, activity.org_id)
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().filter(activity=activity, person=person).first()
        if enrolment is None:
            raise ValidationError({"person": _("She is not enrolled in this training: no certificate.")})
        if enrolment.passed is not True:
            message = (
                _("She has not sat the exam yet: record her result first.")
                if enrolment.passed is None
                else _("She did not pass the exam: no certificate.")
            )
            raise ValidationError({"person": message})
        if Certificate.objects.filter(enrolment=enrolment).exists():
            raise ValidationError({"person": _("She already has a certificate for this training.")})
        certificate = _save_numbered(
            enrolment, _certificate_language(person, activity, language), acting_user, timezone.localtime(at)
        )
        _audit(CERTIFICATE_ISSUE, certificate, _org_of(activity), acting_user, at, fields=["number"])
    return certificate


def _save_numbered(
    enrolment: Enrolment, language: str, acting_user: User | None, at: datetime
) -> Certificate:
    """Save with the next free number; another certificate numbered at the same moment takes the next."""
    for _attempt in range(5):
        certificate = Certificate(
            org_id=enrolment.org_id,
            enrolment=enrolment,
            number=_next_number(enrolment.org_id, at.year),
            language=language,
            issued_at=at,
            issued_by=acting_user,
        )
        try:
            with transaction.atomic():
                certificate.save()
        except IntegrityError:
            continue
        return certificate
    raise ValidationError({"person": _("The certificate could not be numbered; try again.")})


def record_certificate_print(*, certificate: Certificate, acting_user: User | None, at: datetime) -> None:
    _audit(CERTIFICATE_PRINT, certificate, _org_of(certificate), acting_user, at)


# --- campaigns -------------------------------------------------------------------------------------------


def create_campaign(
    *,
    org: Organisation,
    title: str,
    starts_on: date,
    acting_user: User | None,
    at: datetime,
    ends_on: date | None = None,
    goal: str = "",
) -> Campaign:
    _check_period(starts_on, ends_on)
    campaign = Campaign(
        org=org,
        title=_check_text("title", title, 200),
        goal=_check_text("goal", goal, 4000, required=False),
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=at,
        created_by=acting_user,
    )
    with transaction.atomic():
        campaign.save()
        _audit(CAMPAIGN_CREATE, campaign, org, acting_user, at, fields=["title", "starts_on"])
    return campaign


def add_material(
    *,
    campaign: Campaign,
    kind: str,
    title: str,
    language: str,
    audience: str,
    quantity_produced: int,
    acting_user: User | None,
    at: datetime,
) -> Material:
    _check_choice("kind", kind, Material.Kind.values, _("Choose the kind of material."))
    _check_language("language", language)
    if not 0 <= quantity_produced <= 10_000_000:
        raise ValidationError({"quantity_produced": _("Give how many copies were produced (0 for a video).")})
    material = Material(
        org_id=campaign.org_id,
        campaign=campaign,
        kind=kind,
        title=_check_text("title", title, 300),
        language=language,
        audience=_check_text("audience", audience, 200),
        quantity_produced=quantity_produced,
        created_at=at,
    )
    with transaction.atomic():
        material.save()
        _audit(
            MATERIAL_CREATE,
            material,
            _org_of(campaign),
            acting_user,
            at,
            fields=["kind", "quantity_produced"],
        )
    return material


def distributed_of(material: Material) -> int:
    total = Distribution.objects.filter(material=material).aggregate(total=Sum("quantity"))["total"]
    return int(total or 0)


def _check_within_campaign(campaign: Campaign, distributed_on: date) -> None:
    if distributed_on < campaign.starts_on:
        raise ValidationError(
            {
                "distributed_on": _("The campaign starts on %(day)s: a distribution cannot come before it.")
                % {"day": campaign.starts_on.isoformat()}
            }
        )
    if campaign.ends_on is not None and distributed_on > campaign.ends_on:
        raise ValidationError(
            {
                "distributed_on": _("The campaign ended on %(day)s: a distribution cannot come after it.")
                % {"day": campaign.ends_on.isoformat()}
            }
        )


def _check_distribution(
    material: Material, quantity: int, distributed_on: date, area: Area | None, place: str, at: datetime
) -> None:
    if not 1 <= quantity <= 10_000_000:
        raise ValidationError({"quantity": _("Give how many copies were handed out (at least one).")})
    _check_within_campaign(material.campaign, distributed_on)
    if distributed_on > timezone.localtime(at).date():
        raise ValidationError({"distributed_on": _("Record a distribution once it has happened.")})
    if area is not None and area.org_id != material.org_id:
        raise ValidationError({"area": _("Choose an area of your organisation.")})
    if area is None and not place.strip():
        raise ValidationError({"place": _("Say where: choose an area, describe the place, or both.")})


def record_distribution(
    *,
    material: Material,
    quantity: int,
    distributed_on: date,
    acting_user: User | None,
    at: datetime,
    area: Area | None = None,
    place: str = "",
    channel: str = "",
) -> Distribution:
    """Copies handed out. Never more than remain of what was produced; never outside the campaign's
    dates."""
    _check_distribution(material, quantity, distributed_on, area, place, at)
    place = _check_text("place", place, 200, required=False)
    channel = _check_text("channel", channel, 200, required=False)
    with transaction.atomic():
        locked: Material = Material.objects.select_for_update().get(pk=material.pk)
        remaining = locked.quantity_produced - distributed_of(locked)
        if quantity > remaining:
            raise ValidationError(
                {
                    "quantity": _(
                        "Only %(remaining)s of the %(produced)s copies produced remain; %(asked)s cannot be "
                        "handed out."
                    )
                    % {"remaining": remaining, "produced": locked.quantity_produced, "asked": quantity}
                }
            )
        distribution = Distribution.objects.create(
            org_id=locked.org_id,
            material=locked,
            quantity=quantity,
            area=area,
            place=place,
            distributed_on=distributed_on,
            channel=channel,
            recorded_at=at,
            recorded_by=acting_user,
        )
        _audit(DISTRIBUTION_RECORD, distribution, _org_of(locked), acting_user, at, fields=["quantity"])
    return distribution
