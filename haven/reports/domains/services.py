"""Legal aid, counselling, the perpetrator programme, trainings and awareness: the figures a project such
as the Kazakh one publishes (176 women helped by lawyers, 99 by the psychologist, 17 men in the
perpetrator programme, 85 women trained, 2,000 booklets and 600 brochures handed out).

Definitions:

- Women counted by a service (legal, psychological) are counted once however many consultations or
  sessions they had in the period (distinct survivor of the case).
- A legal consultation counts when it was held (not scheduled, missed or cancelled); a matter counts in
  the period it was opened.
- Perpetrator programme participants: men who joined the programme in the period. Only a count: no
  field of theirs relates to a survivor, and this module reads nothing else of the programme.
- People trained: people enrolled in a course (life skills, vocational, gender and digital rights) in the
  period, each counted once. Professionals trained: the head counts at awareness sessions for
  professionals that started in the period (they are counted, not registered, as in the groups app's
  participation figures).
- Materials distributed: copies handed out in the period, by kind of material; campaigns: those running
  at some time in the period.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.counselling.models import CounsellingSession, SessionKind
from haven.groups.models import (
    TRAINING_KINDS,
    ActivityKind,
    ActivitySession,
    AnonymousCount,
    Campaign,
    Distribution,
    Enrolment,
    Institution,
    Material,
)
from haven.legal.models import Consultation, Matter, MatterKind
from haven.orgs.roles import Role
from haven.perpetrators.models import Participant
from haven.reports.indicators import (
    AREA,
    Cell,
    Dimension,
    Indicator,
    Report,
    Scope,
    Source,
    Table,
    Unit,
    choice_labels,
    count_indicator,
    register,
    register_dimension,
    register_report,
)

# --- summing (copies, head counts, kilograms) -----------------------------------------------------------


def sum_table(code: str, queryset: QuerySet[Any], by: Mapping[str, Source], column: str) -> Table:
    """Like ``count_table``, but adds up ``column``: one ``GROUP BY`` and one aggregate for the total."""
    table = Table(code, tuple(by))
    if by:
        aliases = {
            f"d_{index}": F(source) if isinstance(source, str) else source
            for index, source in enumerate(by.values())
        }
        rows = queryset.annotate(**aliases).values(*aliases).annotate(n=Sum(column)).order_by()
        for row in rows:
            table.cells[tuple(row[alias] for alias in aliases)] = Cell(row["n"] or 0)
    table.total = Cell(queryset.aggregate(n=Sum(column))["n"] or 0)
    return table


def sum_indicator(
    *,
    code: str,
    name: Promise,
    definition: Promise,
    records: Callable[[Scope], QuerySet[Any]],
    dimensions: Mapping[str, Source],
    column: str,
    unit: str = Unit.COUNT,
    by_area: bool = True,
) -> Indicator:
    """An indicator that adds up ``column`` over ``records(scope)`` (an additive quantity)."""

    def compute(scope: Scope, by: tuple[str, ...]) -> Table:
        return sum_table(code, records(scope), {dim: dimensions[dim] for dim in by}, column)

    return Indicator(code, name, definition, unit, tuple(dimensions), compute, by_area=by_area)


# --- dimensions -----------------------------------------------------------------------------------------

register_dimension(
    Dimension("legal_matter_kind", _("kind of legal matter"), choice_labels(MatterKind.choices))
)
register_dimension(
    Dimension(
        "consultation_modality",
        _("how the consultation was held"),
        choice_labels(Consultation.Modality.choices),
    )
)
register_dimension(
    Dimension("counselling_kind", _("kind of counselling"), choice_labels(SessionKind.choices))
)
register_dimension(
    Dimension("perpetrator_referral", _("referred by"), choice_labels(Participant.ReferralSource.choices))
)
register_dimension(Dimension("training_kind", _("kind of training"), choice_labels(ActivityKind.choices)))
register_dimension(
    Dimension("professional_institution", _("institution"), choice_labels(Institution.choices))
)
register_dimension(Dimension("material_kind", _("kind of material"), choice_labels(Material.Kind.choices)))

# --- legal aid ------------------------------------------------------------------------------------------


def _held_consultations(scope: Scope) -> QuerySet[Consultation]:
    return Consultation.objects.filter(
        scope.moments("held_at"), org=scope.org, status=Consultation.Status.HELD
    )


register(
    count_indicator(
        code="services.legal_clients",
        by_area=False,
        name=_("Women and girls given legal help"),
        definition=_(
            "Survivors who had at least one legal consultation held in the period, each counted once."
        ),
        records=_held_consultations,
        dimensions={"consultation_modality": "modality"},
        distinct="case__survivor",
    )
)
register(
    count_indicator(
        code="services.legal_consultations",
        by_area=False,
        name=_("Legal consultations"),
        definition=_(
            "Legal consultations held in the period (scheduled, missed and cancelled ones are not)."
        ),
        records=_held_consultations,
        dimensions={"consultation_modality": "modality"},
    )
)
register(
    count_indicator(
        code="services.legal_matters",
        by_area=False,
        name=_("Legal matters opened"),
        definition=_("Legal matters (court cases, complaints, applications) opened in the period."),
        records=lambda scope: Matter.objects.filter(scope.days("opened_on"), org=scope.org),
        dimensions={"legal_matter_kind": "kind"},
    )
)

# --- counselling ----------------------------------------------------------------------------------------


def _counselling_sessions(scope: Scope) -> QuerySet[CounsellingSession]:
    return CounsellingSession.objects.filter(scope.moments("starts_at"), org=scope.org)


register(
    count_indicator(
        code="services.counselling_clients",
        by_area=False,
        name=_("Women and girls given psychological help"),
        definition=_("Survivors who had at least one counselling session in the period, each counted once."),
        records=_counselling_sessions,
        dimensions={"counselling_kind": "kind"},
        distinct="case__survivor",
    )
)
register(
    count_indicator(
        code="services.counselling_sessions",
        by_area=False,
        name=_("Counselling sessions"),
        definition=_("Counselling sessions held in the period."),
        records=_counselling_sessions,
        dimensions={"counselling_kind": "kind"},
    )
)

# --- the perpetrator programme (a count only) -----------------------------------------------------------

register(
    count_indicator(
        code="services.perpetrator_participants",
        by_area=False,
        name=_("Men who joined the perpetrator programme"),
        definition=_("Men taken into the programme for men who use violence in the period."),
        records=lambda scope: Participant.objects.filter(scope.moments("created_at"), org=scope.org),
        dimensions={"perpetrator_referral": "referral_source"},
    )
)

# --- trainings ------------------------------------------------------------------------------------------

register(
    count_indicator(
        code="services.people_trained",
        by_area=False,
        name=_("People trained"),
        definition=_(
            "People enrolled in the period in a course (life skills, vocational, gender and digital "
            "rights), each counted once."
        ),
        records=lambda scope: Enrolment.objects.filter(
            scope.moments("enrolled_at"), org=scope.org, activity__kind__in=TRAINING_KINDS
        ),
        dimensions={"training_kind": "activity__kind"},
        distinct="person",
    )
)


def _professionals(scope: Scope) -> QuerySet[AnonymousCount]:
    sessions = ActivitySession.objects.filter(
        scope.moments("starts_at"), org=scope.org, activity__kind=ActivityKind.PROFESSIONAL_AWARENESS
    )
    return AnonymousCount.objects.filter(org=scope.org, session__in=sessions)


register(
    sum_indicator(
        code="services.professionals_trained",
        by_area=False,
        name=_("Professionals trained"),
        definition=_(
            "Professionals counted at awareness sessions for professionals held in the period (police, "
            "lawyers, health and social workers...); someone at two sessions counts twice."
        ),
        records=_professionals,
        dimensions={"professional_institution": "institution"},
        column="count",
    )
)

# --- awareness and campaigns ----------------------------------------------------------------------------

register(
    sum_indicator(
        code="services.materials_distributed",
        name=_("Awareness materials distributed"),
        definition=_("Copies of booklets, brochures, posters and other materials handed out in the period."),
        records=lambda scope: Distribution.objects.filter(
            scope.days("distributed_on"), scope.in_area("area"), org=scope.org
        ),
        dimensions={"material_kind": "material__kind", AREA: "area"},
        column="quantity",
    )
)
register(
    count_indicator(
        code="services.campaigns",
        by_area=False,
        name=_("Awareness campaigns"),
        definition=_("Campaigns running at some time in the period."),
        records=lambda scope: Campaign.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=scope.period.start),
            org=scope.org,
            starts_on__lt=scope.period.end,
        ),
        dimensions={},
    )
)

register_report(
    Report(
        code="services",
        title=_("Legal aid, counselling, trainings and awareness"),
        description=_(
            "Women given legal and psychological help, men in the perpetrator programme, people trained, "
            "and the materials and campaigns of awareness work."
        ),
        indicators=(
            "services.legal_clients",
            "services.legal_consultations",
            "services.legal_matters",
            "services.counselling_clients",
            "services.counselling_sessions",
            "services.perpetrator_participants",
            "services.people_trained",
            "services.professionals_trained",
            "services.materials_distributed",
            "services.campaigns",
        ),
        readers=frozenset({Role.ORG_ADMIN, Role.CENTRE_MANAGER, Role.DATA_OFFICER}),
        record_readers=frozenset({Role.CENTRE_MANAGER}),
    )
)
