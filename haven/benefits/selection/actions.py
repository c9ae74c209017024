"""Verbs of selection: applications (submit, withdraw, documents), quotas, selection lists (draft, committee
review, publication, objections, final) and the enrolment that follows.

Each verb checks its input before it writes, then saves, writes its audit entry (field names only) and
any transition row in one transaction. A refusal is a `ValidationError` keyed by the field at fault, with
a sentence saying what to do instead; nothing is written when one is raised. "Now" is passed in as `at`.

Lock order: the programme, then the quota, then the list, then the applications.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Max, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.benefits import eligibility
from haven.benefits.models import (
    Application,
    Beneficiary,
    Enrolment,
    EnrolmentTransition,
    Programme,
    Quota,
)
from haven.benefits.selection.models import (
    ApplicationDocument,
    ApplicationTransition,
    CommitteeMember,
    Objection,
    SelectionEntry,
    SelectionList,
    SelectionListTransition,
)
from haven.orgs.models import Area, Organisation
from haven.orgs.validation import refused_if_taken
from haven.people.actions import register_person
from haven.people.models import Person
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

APPLICATION_SUBMIT = audit.register_action("benefits.application_submit", "An application was made")
APPLICATION_WITHDRAW = audit.register_action("benefits.application_withdraw", "An application was withdrawn")
APPLICATION_VIEW = audit.register_action("benefits.application_view", "An application was read", read=True)
APPLICANT_REGISTER = audit.register_action(
    "benefits.applicant_register", "A woman was added to the programme registry"
)
DOCUMENT_ATTACH = audit.register_action("benefits.document_attach", "A paper was attached to an application")
DOCUMENT_READ = audit.register_action(
    "benefits.document_read", "An application's paper was downloaded", read=True
)
QUOTA_CHANGE = audit.register_action("benefits.quota_change", "A quota was set, changed or removed")
LIST_CHANGE = audit.register_action("benefits.list_change", "A selection list was built or moved on")
LIST_DECIDE = audit.register_action("benefits.list_decide", "A committee decision on a list entry")
OBJECTION_RECORD = audit.register_action("benefits.objection", "An objection to a list was logged or decided")
LIST_VIEW = audit.register_action(
    "benefits.list_view", "A selection list, or an objection to it, was read", read=True
)
ENROL = audit.register_action("benefits.enrol", "Women were enrolled from a final selection list")

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
# Sniffed from the first bytes, not trusted from the browser: what a scanner or a phone camera makes.
DOCUMENT_TYPES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
TEXT_MAX = 2000
OBJECTION_WINDOW_MAX_DAYS = 60
MAX_PLACES = 10_000_000
"""More places than any union has women; well inside the database's integer column."""
MAX_LAND_DECIMALS = Decimal(10) ** 6  # the column holds up to 999,999.99 decimals
MAX_MONTHLY_INCOME = 2**31 - 1  # the largest value the column holds


# --- small checks --------------------------------------------------------------------------------------


def local_date(at: datetime) -> date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def _text(value: str, field: str, *, required: bool = False, limit: int = TEXT_MAX) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("This text is too long (at most %(max)s characters).") % {"max": limit}}
        )
    return text


def _first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _add_months(first: date, months: int) -> date:
    year, month = divmod(first.month - 1 + months, 12)
    return date(first.year + year, month + 1, 1)


def _move_application(
    application: Application, to: str, *, reason: str, acting_user: Any, at: datetime
) -> None:
    ApplicationTransition.objects.create(
        org_id=application.org_id,
        application=application,
        from_status=application.status,
        to_status=to,
        at=at,
        actor=acting_user,
        reason_code=reason,
    )
    application.status = to


def _move_list(selection_list: SelectionList, to: str, *, acting_user: Any, at: datetime) -> None:
    SelectionListTransition.objects.create(
        org_id=selection_list.org_id,
        selection_list=selection_list,
        from_status=selection_list.status,
        to_status=to,
        at=at,
        actor=acting_user,
    )
    selection_list.status = to


# --- applicants and applications -----------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    """What an officer fills in to register a woman who is not in the registry yet."""

    name: str
    area: Area
    born_on: date | None = None
    id_number: str = ""
    phone: str = ""
    marital_status: str = ""
    mobile_is_own: bool = False
    land_decimals: Decimal | None = None
    monthly_income: int | None = None
    household_has_disabled_member: bool = False
    expected_delivery_on: date | None = None


def _new_registry_number(at: datetime) -> str:
    return f"R{at:%y}-{secrets.token_hex(4).upper()}"


def register_applicant(
    *, org: Organisation, applicant: Applicant, acting_user: User | None, at: datetime
) -> Beneficiary:
    """Register her as a person (the people app's verb: encrypted, blind-indexed, duplicates flagged) and
    add her to the programme registry."""
    if applicant.area.org_id != org.pk:
        raise ValidationError({"area": _("Choose a union of this organisation.")})
    details: dict[str, Any] = {"sex": Person.Sex.FEMALE, "born_on": applicant.born_on}
    if applicant.id_number.strip():
        details.update(id_kind=Person.IdKind.NATIONAL_ID, id_number=applicant.id_number.strip())
    if applicant.phone.strip():
        details["phone"] = applicant.phone.strip()
    if applicant.marital_status:
        details["marital_status"] = applicant.marital_status
    if applicant.land_decimals is not None and applicant.land_decimals < 0:
        raise ValidationError({"land_decimals": _("Land cannot be less than zero.")})
    if applicant.land_decimals is not None and applicant.land_decimals >= MAX_LAND_DECIMALS:
        raise ValidationError({"land_decimals": _("Write the land in decimals: a number from 0, e.g. 12.5.")})
    income = applicant.monthly_income
    if income is not None and not 0 <= income <= MAX_MONTHLY_INCOME:
        raise ValidationError({"monthly_income": _("Write the income as a whole number of taka, 0 or more.")})
    with transaction.atomic():
        person = register_person(
            org=org,
            name=_text(applicant.name, "name", required=True, limit=200),
            acting_user=acting_user,
            at=at,
            **details,
        )
        beneficiary = Beneficiary.objects.create(
            org=org,
            person=person,
            area=applicant.area,
            registry_number=_new_registry_number(at),
            mobile_is_own=applicant.mobile_is_own,
            land_decimals=applicant.land_decimals,
            monthly_income=applicant.monthly_income,
            household_has_disabled_member=applicant.household_has_disabled_member,
            expected_delivery_on=applicant.expected_delivery_on,
            registered_at=at,
        )
        audit.record(action=APPLICANT_REGISTER, actor=acting_user, org=org, obj=beneficiary, at=at)
    return beneficiary


def window_problem(programme: Programme, on: date) -> str:
    """Why applications are not taken on `on`, or "" when they are."""
    first, last = programme.applications_open_day, programme.applications_close_day
    if first is None or last is None or first <= on.day <= last:
        return ""
    return _(
        "%(programme)s takes applications only on days %(first)s to %(last)s of each month; "
        "come back on day %(first)s."
    ) % {"programme": programme.name, "first": first, "last": last}


def _refuse_application(programme: Programme, beneficiary: Beneficiary, on: date) -> None:
    if beneficiary.org_id != programme.org_id:
        raise ValidationError({"beneficiary": _("Choose a woman registered with this organisation.")})
    if not programme.is_active:
        raise ValidationError({"programme": _("This programme is closed; it takes no applications.")})
    problem = window_problem(programme, on)
    if problem:
        raise ValidationError({"programme": problem})
    enrolled = Enrolment.objects.filter(
        programme=programme, beneficiary=beneficiary, status=Enrolment.Status.ACTIVE
    ).first()
    if enrolled is not None:
        raise ValidationError(
            {
                "beneficiary": _(
                    "She is already enrolled in this programme (card %(card)s); she cannot apply again."
                )
                % {"card": enrolled.card_number}
            }
        )
    if Application.objects.filter(
        programme=programme, beneficiary=beneficiary, status__in=Application.OPEN_STATUSES
    ).exists():
        raise ValidationError(
            {"beneficiary": _("She already has an open application to this programme; withdraw it first.")}
        )


def judge_applicant(
    programme: Programme, beneficiary: Beneficiary, on: date
) -> tuple[Any, eligibility.Judgement]:
    """The current rules and what they say about her; refused when there are no rules or she fails them."""
    rule_set = eligibility.current_rule_set(programme)
    if rule_set is None:
        raise ValidationError(
            {
                "programme": _(
                    "This programme has no eligibility rules yet; a programme officer must set them first."
                )
            }
        )
    judgement = eligibility.judge(beneficiary, rule_set, on=on)
    if not judgement.eligible:
        # Priority verdicts that did not score are not failures: only eligibility and exclusions decide.
        failed = [
            eligibility.describe(v)
            for v in judgement.verdicts
            if not v.get("passed", True) and v.get("part") != "priority"
        ]
        raise ValidationError(
            {"beneficiary": _("She is not eligible: %(reasons)s.") % {"reasons": "; ".join(failed) or "—"}}
        )
    return rule_set, judgement


def submit_application(
    *,
    programme: Programme,
    beneficiary: Beneficiary,
    channel: str,
    acting_user: User | None,
    at: datetime,
) -> Application:
    """Judge her with the programme's current rules and record the application as ELIGIBLE, with the
    rules' version, every verdict and her priority score. One who fails is refused with the reasons and
    nothing is written: the officer tells her why on the spot."""
    if channel not in Application.Channel.values:
        raise ValidationError({"channel": _("Say how the application was made.")})
    on = local_date(at)
    _refuse_application(programme, beneficiary, on)
    rule_set, judgement = judge_applicant(programme, beneficiary, on)
    application = Application(
        org_id=programme.org_id,
        programme=programme,
        beneficiary=beneficiary,
        area_id=beneficiary.area_id,
        channel=channel,
        submitted_at=at,
        submitted_by=acting_user,
        rule_set=rule_set,
        explanation=list(judgement.verdicts),
        priority_score=judgement.priority,
        status=Application.Status.SUBMITTED,
    )
    # Two officers submitting for her at once: the database's one-open-application rule decides.
    with refused_if_taken(
        "beneficiary", _("She already has an open application to this programme; withdraw it first.")
    ):
        application.save()
        _move_application(
            application,
            Application.Status.ELIGIBLE,
            reason="judged_eligible",
            acting_user=acting_user,
            at=at,
        )
        application.save(update_fields=["status"])
        audit.record(action=APPLICATION_SUBMIT, actor=acting_user, org=programme.org, obj=application, at=at)
    return application


def withdraw_application(*, application: Application, acting_user: User | None, at: datetime) -> Application:
    """She no longer asks for the benefit. If she is on a list that is not final, she is excluded there."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in Application.OPEN_STATUSES:
            raise ValidationError(
                {
                    "status": _("Only an open application can be withdrawn; this one is %(status)s.")
                    % {"status": locked.get_status_display()}
                }
            )
        entry = (
            SelectionEntry.objects.filter(application=locked)
            .exclude(selection_list__status=SelectionList.Status.FINAL)
            .first()
        )
        if entry is not None:
            entry.decision, entry.reason, entry.decided_at = (
                SelectionEntry.Decision.EXCLUDE,
                _("She withdrew."),
                at,
            )
            entry.save(update_fields=["decision", "reason", "decided_at"])
        _move_application(
            locked, Application.Status.WITHDRAWN, reason="withdrawn", acting_user=acting_user, at=at
        )
        locked.save(update_fields=["status"])
        audit.record(action=APPLICATION_WITHDRAW, actor=acting_user, org=locked.org, obj=locked, at=at)
    application.status = locked.status
    return application


def record_application_view(*, application: Application, acting_user: User | None, at: datetime) -> None:
    audit.record(action=APPLICATION_VIEW, actor=acting_user, org=application.org, obj=application, at=at)


def record_list_view(*, record: SelectionList | Objection, acting_user: User | None, at: datetime) -> None:
    """A list names its committee and says why each woman was included or left out; an objection says
    what someone wrote about her: each showing is audited, on the list or the objection shown."""
    audit.record(action=LIST_VIEW, actor=acting_user, org=Organisation(pk=record.org_id), obj=record, at=at)


def _sniff(content: bytes) -> str:
    for magic, content_type in DOCUMENT_TYPES.items():
        if content.startswith(magic):
            return content_type
    raise ValidationError({"file": _("Attach a PDF, JPEG or PNG file (a scan or a photo of the paper).")})


def attach_document(
    *,
    application: Application,
    kind: str,
    file_name: str,
    content: bytes,
    acting_user: User | None,
    at: datetime,
) -> ApplicationDocument:
    """Keep a paper with the application, encrypted like every other thing about her."""
    if kind not in ApplicationDocument.Kind.values:
        raise ValidationError({"kind": _("Say what kind of paper this is.")})
    if application.status not in Application.OPEN_STATUSES:
        raise ValidationError({"file": _("Papers can be added only while the application is open.")})
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            {"file": _("The file is too large: at most 2 MB. Scan it at a lower resolution.")}
        )
    content_type = _sniff(content)
    name = os.path.basename((file_name or "").replace("\\", "/")).strip()[:200] or "document"
    document = ApplicationDocument(
        org_id=application.org_id,
        application=application,
        kind=kind,
        file_name=name,
        content_type=content_type,
        size=len(content),
        content=base64.b64encode(content).decode("ascii"),
        uploaded_at=at,
        uploaded_by=acting_user,
    )
    with transaction.atomic():
        document.save()
        audit.record(
            action=DOCUMENT_ATTACH,
            actor=acting_user,
            org=application.org,
            obj=document,
            at=at,
            fields=["kind", "file_name", "content"],
        )
    return document


def read_document(*, document: ApplicationDocument, acting_user: User | None, at: datetime) -> bytes:
    """The paper's bytes; every download is an audit entry."""
    audit.record(action=DOCUMENT_READ, actor=acting_user, org=document.application.org, obj=document, at=at)
    return base64.b64decode(document.content)


# --- quotas --------------------------------------------------------------------------------------------


def _check_quota(
    programme: Programme, area: Area, start: date, end: date, places: int, exclude: Any = None
) -> None:
    if area.org_id != programme.org_id:
        raise ValidationError({"area": _("Choose an area of this organisation.")})
    if area.level != Area.Level.LOCALITY:
        raise ValidationError({"area": _("Quotas are set per union: choose a union or village.")})
    if end < start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    if places is None or places < 0:
        raise ValidationError({"places": _("Give the number of places: zero or more.")})
    if places > MAX_PLACES:
        raise ValidationError({"places": _("A quota has at most %(max)s places.") % {"max": MAX_PLACES}})
    overlapping = Quota.objects.filter(
        programme=programme, area=area, period_start__lte=end, period_end__gte=start
    ).exclude(pk=exclude)
    clash = overlapping.first()
    if clash is not None:
        raise ValidationError(
            {
                "period_start": _(
                    "This union already has a quota from %(start)s to %(end)s that overlaps this period."
                )
                % {"start": clash.period_start.isoformat(), "end": clash.period_end.isoformat()}
            }
        )


def _lock_programme(programme: Programme) -> Programme:
    locked: Programme = Programme.objects.select_for_update().get(pk=programme.pk)
    return locked


def create_quota(
    *,
    programme: Programme,
    area: Area,
    period_start: date,
    period_end: date,
    places: int,
    acting_user: User | None,
    at: datetime,
) -> Quota:
    with transaction.atomic():
        _lock_programme(programme)  # two officers adding overlapping quotas at once: one waits
        _check_quota(programme, area, period_start, period_end, places)
        quota = Quota.objects.create(
            org_id=programme.org_id,
            programme=programme,
            area=area,
            period_start=period_start,
            period_end=period_end,
            places=places,
        )
        audit.record(
            action=QUOTA_CHANGE,
            actor=acting_user,
            org=programme.org,
            obj=quota,
            at=at,
            fields=["area", "period_start", "period_end", "places"],
        )
    return quota


def _list_of(quota: Quota) -> SelectionList | None:
    found: SelectionList | None = SelectionList.objects.filter(quota=quota).first()
    return found


def update_quota(
    *, quota: Quota, period_start: date, period_end: date, places: int, acting_user: User | None, at: datetime
) -> Quota:
    """Change a quota's period or places. Once its list is published the places are public: no change."""
    with transaction.atomic():
        _lock_programme(quota.programme)
        selection_list = _list_of(quota)
        if selection_list is not None and selection_list.is_public:
            raise ValidationError(
                {"places": _("The list for this quota has been published; the quota can no longer change.")}
            )
        if selection_list is not None and (period_start, period_end) != (
            quota.period_start,
            quota.period_end,
        ):
            raise ValidationError(
                {"period_start": _("A list was built for this period; its dates can no longer change.")}
            )
        _check_quota(quota.programme, quota.area, period_start, period_end, places, exclude=quota.pk)
        included = _included(selection_list).count() if selection_list else 0
        if places < included:
            raise ValidationError(
                {
                    "places": _(
                        "%(count)s women are already included on this quota's list; exclude some first."
                    )
                    % {"count": included}
                }
            )
        before = {"period_start": quota.period_start, "period_end": quota.period_end, "places": quota.places}
        quota.period_start, quota.period_end, quota.places = period_start, period_end, places
        changed = audit.changed_fields(
            before, {"period_start": period_start, "period_end": period_end, "places": places}
        )
        quota.save()
        audit.record(
            action=QUOTA_CHANGE, actor=acting_user, org=quota.programme.org, obj=quota, at=at, fields=changed
        )
    return quota


def delete_quota(*, quota: Quota, acting_user: User | None, at: datetime) -> None:
    """Remove a quota no selection list was built on.

    The programme is locked first, as `build_draft` locks it, so a list being built on the quota at the
    same moment is either seen by the check or waits for the removal. Without row locks (SQLite) a list
    built after the check meets the list's PROTECT foreign key: the same refusal, never a server error.
    """
    refusal = _("A selection list was built on this quota; it cannot be removed.")
    with transaction.atomic():
        _lock_programme(quota.programme)
        if SelectionList.objects.filter(quota=quota).exists():
            raise ValidationError({"quota": refusal})
        audit.record(
            action=QUOTA_CHANGE,
            actor=acting_user,
            org=quota.programme.org,
            obj=quota,
            at=at,
            reason_code="deleted",
        )
        with refused_if_taken("quota", refusal):
            quota.delete()


# --- selection lists -----------------------------------------------------------------------------------


def _day_end(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def draft_candidates(quota: Quota) -> Any:
    """ELIGIBLE applications of the quota's union made by the end of its period, on no list yet, of women
    not already enrolled in the programme, ranked: highest priority first, then first come."""
    enrolled = Enrolment.objects.filter(programme_id=quota.programme_id, status=Enrolment.Status.ACTIVE)
    applications = Application.objects.filter(
        programme_id=quota.programme_id,
        area_id=quota.area_id,
        status=Application.Status.ELIGIBLE,
        selection_entry__isnull=True,
    )
    if quota.period_end < date.max:  # a period ending on 31 December 9999 takes every application made
        applications = applications.filter(submitted_at__lt=_day_end(quota.period_end))
    return applications.exclude(beneficiary_id__in=enrolled.values("beneficiary_id")).annotate(
        rn=Window(
            RowNumber(),
            order_by=[F("priority_score").desc(nulls_last=True), F("submitted_at").asc(), F("id").asc()],
        )
    )


def _new_uuid_sql() -> str:
    return "gen_random_uuid()" if connection.vendor == "postgresql" else "lower(hex(randomblob(16)))"


def _insert_entries(selection_list: SelectionList, quota: Quota) -> int:
    """One INSERT … SELECT: the top `places` candidates become PENDING entries, in rank order."""
    ranked = (
        draft_candidates(quota).filter(rn__lte=quota.places).values("id", "org_id", "priority_score", "rn")
    )
    select_sql, params = ranked.query.sql_with_params()
    table = SelectionEntry._meta.db_table
    # The table name and the inner SELECT come from the ORM; every value is a parameter.
    columns = "id, org_id, selection_list_id, application_id, rank, priority_score, decision"
    sql = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608
        f"SELECT {_new_uuid_sql()}, c.org_id, %s, c.id, c.rn, c.priority_score, %s FROM ({select_sql}) c"
    )
    list_id = selection_list.pk if connection.vendor == "postgresql" else selection_list.pk.hex
    with connection.cursor() as cursor:
        cursor.execute(sql, [list_id, SelectionEntry.Decision.PENDING, *params])
        return int(cursor.rowcount)


def build_draft(*, quota: Quota, acting_user: User | None, at: datetime) -> SelectionList:
    """The union's draft list for the quota's period, within its places. One list per quota."""
    with transaction.atomic():
        _lock_programme(quota.programme)
        if _list_of(quota) is not None:
            raise ValidationError({"quota": _("A list was already built for this quota; open it instead.")})
        selection_list = SelectionList(
            org_id=quota.org_id,
            programme_id=quota.programme_id,
            area_id=quota.area_id,
            quota=quota,
            created_at=at,
            created_by=acting_user,
        )
        selection_list.save()
        SelectionListTransition.objects.create(
            org_id=quota.org_id,
            selection_list=selection_list,
            from_status="",
            to_status=SelectionList.Status.DRAFT,
            at=at,
            actor=acting_user,
        )
        _insert_entries(selection_list, quota)
        audit.record(
            action=LIST_CHANGE,
            actor=acting_user,
            org=quota.programme.org,
            obj=selection_list,
            at=at,
            reason_code="draft",
        )
    return selection_list


def _locked_list(selection_list: SelectionList, *expected: str) -> SelectionList:
    locked: SelectionList = (
        SelectionList.objects.select_for_update()
        .select_related("programme", "quota")
        .get(pk=selection_list.pk)
    )
    if expected and locked.status not in expected:
        raise ValidationError(
            {
                "status": _("This cannot be done now: the list is %(status)s.")
                % {"status": locked.get_status_display()}
            }
        )
    return locked


def _included(selection_list: SelectionList) -> Any:
    return SelectionEntry.objects.filter(
        selection_list=selection_list, decision=SelectionEntry.Decision.INCLUDE
    )


def start_review(
    *,
    selection_list: SelectionList,
    committee_name: str,
    reviewed_on: date,
    acting_user: User | None,
    at: datetime,
) -> SelectionList:
    """The committee takes the draft: its name and the day it met."""
    name = _text(committee_name, "committee_name", required=True, limit=200)
    if reviewed_on is None or reviewed_on > local_date(at):
        raise ValidationError({"reviewed_on": _("Give the day the committee met (not a day in the future).")})
    with transaction.atomic():
        locked = _locked_list(selection_list, SelectionList.Status.DRAFT)
        locked.committee_name, locked.reviewed_on = name, reviewed_on
        _move_list(locked, SelectionList.Status.IN_REVIEW, acting_user=acting_user, at=at)
        locked.save()
        audit.record(
            action=LIST_CHANGE,
            actor=acting_user,
            org=locked.programme.org,
            obj=locked,
            at=at,
            fields=["committee_name", "reviewed_on", "status"],
        )
    return locked


def add_committee_member(
    *,
    selection_list: SelectionList,
    name: str,
    institution: str,
    role_on_committee: str,
    was_present: bool,
    acting_user: User | None,
    at: datetime,
) -> CommitteeMember:
    with transaction.atomic():
        locked = _locked_list(selection_list, SelectionList.Status.IN_REVIEW)
        member = CommitteeMember.objects.create(
            org_id=locked.org_id,
            selection_list=locked,
            name=_text(name, "name", required=True, limit=200),
            institution=_text(institution, "institution", required=True, limit=200),
            role_on_committee=_text(role_on_committee, "role_on_committee", required=True, limit=120),
            was_present=bool(was_present),
        )
        audit.record(
            action=LIST_CHANGE,
            actor=acting_user,
            org=locked.programme.org,
            obj=locked,
            at=at,
            fields=["committee_members"],
        )
    return member


def decide_entry(
    *, entry: SelectionEntry, decision: str, reason: str, acting_user: User | None, at: datetime
) -> SelectionEntry:
    """The committee's decision on one woman: include, or exclude with the reason (the home visit found
    land, she is on another programme…)."""
    if decision not in (SelectionEntry.Decision.INCLUDE, SelectionEntry.Decision.EXCLUDE):
        raise ValidationError({"decision": _("Choose include or exclude.")})
    reason = _text(reason, "reason", required=decision == SelectionEntry.Decision.EXCLUDE)
    with transaction.atomic():
        locked = _locked_list(entry.selection_list, SelectionList.Status.IN_REVIEW)
        entry.decision, entry.reason, entry.decided_at = decision, reason, at
        entry.save(update_fields=["decision", "reason", "decided_at"])
        audit.record(
            action=LIST_DECIDE,
            actor=acting_user,
            org=locked.programme.org,
            obj=entry,
            at=at,
            fields=["decision", "reason"],
        )
    return entry


def include_undecided(*, selection_list: SelectionList, acting_user: User | None, at: datetime) -> int:
    """Include every entry the committee has not excluded (it agreed with the ranking); one UPDATE."""
    with transaction.atomic():
        locked = _locked_list(selection_list, SelectionList.Status.IN_REVIEW)
        count = SelectionEntry.objects.filter(
            selection_list=locked, decision=SelectionEntry.Decision.PENDING
        ).update(decision=SelectionEntry.Decision.INCLUDE, decided_at=at)
        audit.record(
            action=LIST_DECIDE,
            actor=acting_user,
            org=locked.programme.org,
            obj=locked,
            at=at,
            fields=["decision"],
            reason_code="include_undecided",
        )
    return count


def publish_list(
    *, selection_list: SelectionList, objections_end_on: date, acting_user: User | None, at: datetime
) -> SelectionList:
    """Post the reviewed list publicly, open for objections until `objections_end_on`."""
    today = local_date(at)
    if objections_end_on is None or objections_end_on <= today:
        raise ValidationError({"objections_end_on": _("The objection window must end after today.")})
    if objections_end_on > today + timedelta(days=OBJECTION_WINDOW_MAX_DAYS):
        raise ValidationError(
            {
                "objections_end_on": _("Keep the objection window to at most %(days)s days.")
                % {"days": OBJECTION_WINDOW_MAX_DAYS}
            }
        )
    with transaction.atomic():
        locked = _locked_list(selection_list, SelectionList.Status.IN_REVIEW)
        entries = SelectionEntry.objects.filter(selection_list=locked)
        if entries.filter(decision=SelectionEntry.Decision.PENDING).exists():
            raise ValidationError(
                {"status": _("The committee has not decided on every woman on the list yet.")}
            )
        if not CommitteeMember.objects.filter(selection_list=locked, was_present=True).exists():
            raise ValidationError(
                {"status": _("Record the committee members who were present before publishing.")}
            )
        if _included(locked).count() > locked.quota.places:
            raise ValidationError(
                {
                    "status": _("More women are included than the quota's %(places)s places.")
                    % {"places": locked.quota.places}
                }
            )
        locked.objections_end_on, locked.published_at = objections_end_on, at
        _move_list(locked, SelectionList.Status.PUBLISHED, acting_user=acting_user, at=at)
        locked.save()
        audit.record(
            action=LIST_CHANGE,
            actor=acting_user,
            org=locked.programme.org,
            obj=locked,
            at=at,
            fields=["status", "objections_end_on"],
        )
    return locked


def record_objection(
    *,
    selection_list: SelectionList,
    about: str,
    text: str,
    registry_number: str = "",
    objector_name: str = "",
    objector_contact: str = "",
    channel: str,
    acting_user: User | None,
    at: datetime,
) -> Objection:
    """Log an objection while the window is open. Anyone may object, without giving a name; an objection
    about a woman on the list names her registry number as posted on the notice."""
    if about not in Objection.About.values:
        raise ValidationError(
            {"about": _("Say whether the objection is about someone on the list or someone left out.")}
        )
    text = _text(text, "text", required=True)
    with transaction.atomic():
        locked = _locked_list(selection_list, SelectionList.Status.PUBLISHED)
        if locked.objections_end_on is not None and local_date(at) > locked.objections_end_on:
            raise ValidationError(
                {
                    "status": _("Objections to this list closed on %(day)s.")
                    % {"day": locked.objections_end_on.isoformat()}
                }
            )
        entry = _entry_by_registry_number(locked, registry_number) if about == Objection.About.ENTRY else None
        objection = Objection.objects.create(
            org_id=locked.org_id,
            selection_list=locked,
            about=about,
            entry=entry,
            text=text,
            objector_name=_text(objector_name, "objector_name", limit=200),
            objector_contact=_text(objector_contact, "objector_contact", limit=200),
            channel=channel,
            received_at=at,
        )
        audit.record(
            action=OBJECTION_RECORD,
            actor=acting_user,
            org=locked.programme.org,
            obj=objection,
            at=at,
            fields=["about", "text"],
        )
    return objection


def _entry_by_registry_number(selection_list: SelectionList, registry_number: str) -> SelectionEntry:
    number = (registry_number or "").strip().upper()
    entry: SelectionEntry | None = (
        _included(selection_list).filter(application__beneficiary__registry_number__iexact=number).first()
        if number
        else None
    )
    if entry is None:
        raise ValidationError(
            {
                "registry_number": _(
                    "Give the registry number of a woman on this list, as printed on the notice."
                )
            }
        )
    return entry


def decide_objection(
    *,
    objection: Objection,
    upheld: bool,
    reason: str,
    omitted_application: Application | None = None,
    acting_user: User | None,
    at: datetime,
) -> Objection:
    """Uphold or reject an objection, with the reason. Upheld against a woman on the list: she is excluded.
    Upheld for one left out: if her application is named and a place is free, she is added, included."""
    reason = _text(reason, "reason", required=True)
    with transaction.atomic():
        locked = _locked_list(objection.selection_list, SelectionList.Status.PUBLISHED)
        current: Objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if current.status != Objection.Status.OPEN:
            raise ValidationError({"status": _("This objection was already decided.")})
        if upheld and current.entry_id is not None:
            _exclude_on_objection(current.entry_id, reason, at)
        if upheld and omitted_application is not None:
            _add_omitted(locked, omitted_application, reason, at)
            current.omitted_application = omitted_application
        current.status = Objection.Status.UPHELD if upheld else Objection.Status.REJECTED
        current.decision_reason, current.decided_at, current.decided_by = reason, at, acting_user
        current.save()
        audit.record(
            action=OBJECTION_RECORD,
            actor=acting_user,
            org=locked.programme.org,
            obj=current,
            at=at,
            fields=["status", "decision_reason"],
        )
    return current


def _exclude_on_objection(entry_id: Any, reason: str, at: datetime) -> None:
    entry = SelectionEntry.objects.get(pk=entry_id)
    entry.decision, entry.reason, entry.decided_at = SelectionEntry.Decision.EXCLUDE, reason, at
    entry.save(update_fields=["decision", "reason", "decided_at"])


def _add_omitted(selection_list: SelectionList, application: Application, reason: str, at: datetime) -> None:
    if (
        application.programme_id != selection_list.programme_id
        or application.area_id != selection_list.area_id
        or application.status != Application.Status.ELIGIBLE
        or SelectionEntry.objects.filter(application=application).exists()
    ):
        raise ValidationError(
            {
                "omitted_application": _(
                    "Name an eligible application of this union and programme that is on no list."
                )
            }
        )
    if _included(selection_list).count() >= selection_list.quota.places:
        raise ValidationError(
            {
                "omitted_application": _(
                    "The list is full: all %(places)s places are taken. "
                    "Uphold an objection against someone on it first."
                )
                % {"places": selection_list.quota.places}
            }
        )
    last = (
        SelectionEntry.objects.filter(selection_list=selection_list).aggregate(last=Max("rank"))["last"] or 0
    )
    SelectionEntry.objects.create(
        org_id=selection_list.org_id,
        selection_list=selection_list,
        application=application,
        rank=last + 1,
        priority_score=application.priority_score,
        decision=SelectionEntry.Decision.INCLUDE,
        reason=reason,
        decided_at=at,
    )


def _refuse_finalising(selection_list: SelectionList, today: date) -> None:
    if selection_list.objections_end_on is not None and today <= selection_list.objections_end_on:
        raise ValidationError(
            {
                "status": _("The objection window is open until %(day)s; finalise after it closes.")
                % {"day": selection_list.objections_end_on.isoformat()}
            }
        )
    open_count = Objection.objects.filter(selection_list=selection_list, status=Objection.Status.OPEN).count()
    if open_count:
        raise ValidationError(
            {
                "status": _("%(count)s objections wait for a decision; decide them first.")
                % {"count": open_count}
            }
        )
    already = Enrolment.objects.filter(
        programme_id=selection_list.programme_id,
        status=Enrolment.Status.ACTIVE,
        beneficiary_id__in=_included(selection_list).values("application__beneficiary_id"),
    ).select_related("beneficiary")
    clashes = [f"{e.beneficiary.registry_number} ({e.card_number})" for e in already[:5]]
    if clashes:
        raise ValidationError(
            {
                "status": _(
                    "These women already have an active enrolment in this programme; "
                    "exclude them first: %(who)s."
                )
                % {"who": ", ".join(clashes)}
            }
        )


def finalise_list(*, selection_list: SelectionList, acting_user: User | None, at: datetime) -> SelectionList:
    """After the window, with every objection decided: the list is final and the included women are
    enrolled (card numbers, first month next month, last month from the programme's duration); their
    applications are SELECTED and the excluded ones NOT_SELECTED."""
    with transaction.atomic():
        programme = _lock_programme(selection_list.programme)
        locked = _locked_list(selection_list, SelectionList.Status.PUBLISHED)
        _refuse_finalising(locked, local_date(at))
        _enrol_included(locked, programme, acting_user=acting_user, at=at)
        _close_applications(locked, acting_user=acting_user, at=at)
        locked.finalised_at = at
        _move_list(locked, SelectionList.Status.FINAL, acting_user=acting_user, at=at)
        locked.save()
        audit.record(
            action=LIST_CHANGE, actor=acting_user, org=programme.org, obj=locked, at=at, fields=["status"]
        )
    return locked


def _card_prefix(programme: Programme, starts_on: date) -> str:
    return f"{programme.code.upper()}{starts_on:%y%m}-"


def _enrol_included(
    selection_list: SelectionList, programme: Programme, *, acting_user: Any, at: datetime
) -> None:
    starts_on = _first_of_next_month(local_date(at))
    ends_on = _add_months(starts_on, programme.duration_months - 1)
    prefix = _card_prefix(programme, starts_on)
    taken = Enrolment.objects.filter(programme=programme, card_number__startswith=prefix).count()
    included = _included(selection_list).select_related("application").order_by("rank")
    enrolments = [
        Enrolment(
            org_id=programme.org_id,
            programme=programme,
            beneficiary_id=entry.application.beneficiary_id,
            application=entry.application,
            area_id=selection_list.area_id,
            card_number=f"{prefix}{taken + number:06d}",
            starts_on=starts_on,
            ends_on=ends_on,
            enrolled_at=at,
        )
        for number, entry in enumerate(included, start=1)
    ]
    with refused_if_taken(
        "status",
        _("A woman on this list was enrolled in this programme meanwhile; exclude her and try again."),
    ):
        Enrolment.objects.bulk_create(enrolments)
        EnrolmentTransition.objects.bulk_create(
            EnrolmentTransition(
                org_id=programme.org_id,
                enrolment=enrolment,
                to_status=Enrolment.Status.ACTIVE,
                at=at,
                actor=acting_user,
            )
            for enrolment in enrolments
        )
    audit.record(
        action=ENROL, actor=acting_user, org=programme.org, obj=selection_list, at=at, fields=["enrolments"]
    )


def _close_applications(selection_list: SelectionList, *, acting_user: Any, at: datetime) -> None:
    """SELECTED for the included, NOT_SELECTED for the excluded still open; a transition row for each."""
    entries = SelectionEntry.objects.filter(selection_list=selection_list)
    for decision, to in (
        (SelectionEntry.Decision.INCLUDE, Application.Status.SELECTED),
        (SelectionEntry.Decision.EXCLUDE, Application.Status.NOT_SELECTED),
    ):
        moving = Application.objects.filter(
            pk__in=entries.filter(decision=decision).values("application_id"),
            status__in=Application.OPEN_STATUSES,
        )
        rows = list(moving.values_list("pk", "status"))  # at most a quota's places
        ApplicationTransition.objects.bulk_create(
            ApplicationTransition(
                org_id=selection_list.org_id,
                application_id=pk,
                from_status=status,
                to_status=to,
                at=at,
                actor=acting_user,
                reason_code="list_final",
            )
            for pk, status in rows
        )
        Application.objects.filter(pk__in=[pk for pk, _status in rows]).update(status=to)
