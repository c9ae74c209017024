"""The hotline report's indicators against figures counted by hand on a small set of contacts and
dispatches, and against the hotline's and dispatch's own service-level reads (the same definitions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from haven.conftest import World
from haven.dispatch import sla
from haven.dispatch.models import Dispatch, DispatchEvent, Target
from haven.hotline.models import Contact, ContactCategory, HotlineSettings
from haven.hotline.queries import service_level
from haven.hotline.taxonomy import ensure_default_taxonomy
from haven.orgs.models import Organisation
from haven.orgs.roles import Role
from haven.reports.domains import hotline
from haven.reports.indicators import REPORTS, indicator, scope_for
from haven.reports.periods import parse_period
from haven.reports.queries import build_report

MARCH_31 = datetime(2025, 3, 31, 9, 0, tzinfo=UTC)
V, W = Contact.Kind.VOICE, Contact.Kind.WHATSAPP


def _contact(
    org: Organisation,
    offered: datetime,
    *,
    kind: str = V,
    answer: int | None = None,
    end: int | None = None,
    direction: str = Contact.Direction.INBOUND,
) -> Contact:
    """A contact offered at ``offered``, answered ``answer`` seconds later, ended ``end`` seconds later."""
    return Contact.objects.create(
        org=org,
        kind=kind,
        direction=direction,
        offered_at=offered,
        answered_at=None if answer is None else offered + timedelta(seconds=answer),
        ended_at=None if end is None else offered + timedelta(seconds=end),
    )


def _contacts(world: World) -> dict[str, Contact]:
    org, at = world.org, MARCH_31
    HotlineSettings.objects.create(org=org, answer_seconds=20, answer_percent=80, abandon_percent=5)
    minute = timedelta(minutes=1)
    made = {
        "in_10s": _contact(org, at, answer=10, end=300),
        "in_20s": _contact(org, at + minute, answer=20, end=300),  # exactly the target: within
        "in_30s": _contact(org, at + 2 * minute, answer=30, end=300),
        "in_70s": _contact(org, at + 3 * minute, kind=W, answer=70, end=900),
        "in_100s": _contact(org, at + 4 * minute, kind=W, answer=100, end=900),
        "abandoned": _contact(org, at + 5 * minute, end=5),
        "waiting": _contact(org, at + 6 * minute),
        "not_reached": _contact(
            org, at + 7 * minute, kind=Contact.Kind.OUTBOUND, end=40, direction=Contact.Direction.OUTBOUND
        ),
    }
    # Outside the period or the organisation: never counted.
    _contact(org, datetime(2025, 2, 28, 23, 59, 59, tzinfo=UTC), answer=1, end=60)
    _contact(org, datetime(2025, 4, 1, tzinfo=UTC))
    _contact(world.other_org, at, answer=500, end=600)
    ensure_default_taxonomy(org)
    categories = {row.code: row for row in ContactCategory.objects.filter(org=org)}
    made["in_10s"].categories.add(categories["violence-physical"])
    made["in_20s"].categories.add(categories["violence-sexual"], categories["information-legal"])
    return made


def test_contacts_answer_times_and_abandonment_are_counted_as_by_hand(world: World) -> None:
    made = _contacts(world)
    scope = scope_for(world.org, parse_period("2025-03"))
    violence = ContactCategory.objects.get(org=world.org, code="violence").pk
    information = ContactCategory.objects.get(org=world.org, code="information").pk

    contacts = indicator("hotline.contacts")
    assert contacts.table(scope).total.value == 8
    by_channel = contacts.table(scope, ("contact_channel",))
    assert {key: cell.value for key, cell in by_channel.cells.items()} == {
        (V,): 5,
        (W,): 2,
        (Contact.Kind.OUTBOUND,): 1,
    }
    by_type = contacts.table(scope, ("contact_type",))
    # The contact about violence and information counts under each type, once in the total.
    assert {key: cell.value for key, cell in by_type.cells.items()} == {
        (violence,): 2,
        (information,): 1,
        (None,): 6,
    }
    assert by_type.total.value == 8
    by_month = contacts.table(scope_for(world.org, parse_period("2025-Q1")), ("month",))
    assert {key: cell.value for key, cell in by_month.cells.items()} == {
        ("2025-01",): 0,
        ("2025-02",): 1,
        ("2025-03",): 8,
    }

    answer_time = indicator("hotline.answer_time").table(scope, ("answer_time", "contact_channel"))
    assert {key: cell.value for key, cell in answer_time.cells.items()} == {
        (hotline.WITHIN_TARGET, V): 2,
        (hotline.UP_TO_TWICE, V): 1,
        (hotline.UP_TO_FOUR_TIMES, W): 1,
        (hotline.LONGER, W): 1,
    }
    assert answer_time.total.value == 5

    in_target = indicator("hotline.answered_in_target").table(scope, ("contact_channel",))
    assert (in_target.total.value, in_target.total.base) == (33.3, 6)  # 2 of the 6 settled
    assert {key: (c.value, c.base) for key, c in in_target.cells.items()} == {(V,): (50.0, 4), (W,): (0.0, 2)}
    abandonment = indicator("hotline.abandonment").table(scope, ("contact_channel",))
    assert (abandonment.total.value, abandonment.total.base) == (16.7, 6)
    assert {key: (c.value, c.base) for key, c in abandonment.cells.items()} == {
        (V,): (25.0, 4),
        (W,): (0.0, 2),
    }

    # Contacts carry no area: under a chosen area there is no figure, not the organisation's.
    under_area = scope_for(world.org, parse_period("2025-03"), world.district)
    for code in ("hotline.contacts", "hotline.abandonment", "hotline.request_to_departure_median"):
        table = indicator(code).table(under_area)
        assert (table.total.value, table.cells) == (None, {}), code
    assert indicator("hotline.contacts").table(under_area, ("contact_channel",)).cells == {}

    # The supervisor's 24-hour panel, over the same contacts, gives the same figures.
    panel = service_level(world.org, datetime(2025, 4, 1, 0, 0, tzinfo=UTC))
    assert (panel.offered, panel.answered_percent, panel.abandoned_percent) == (6, 33.3, 16.7)
    assert made["waiting"].state == Contact.State.WAITING

    # The report suppresses rates on small bases for readers without record access, not for managers.
    report = REPORTS["hotline"]
    assert report.sees_small_cells(Role.SHELTER_MANAGER) and not report.sees_small_cells(Role.DATA_OFFICER)
    built = build_report(report, scope, by=("contact_channel",))
    results = {result.indicator.code: result for result in built.results}
    whatsapp = results["hotline.answered_in_target"].table.cells[(W,)]
    assert whatsapp.suppressed and whatsapp.value is None
    assert results["hotline.contacts"].table.total.value == 8
    rows = results["hotline.contacts"].rows()
    assert [names for _key, names, _cell, _before in rows] == [
        ["Outbound follow-up call"],
        ["Phone call"],
        ["WhatsApp"],
    ]
    type_labels = build_report(report, scope, by=("contact_type",), suppress=False).results[0].labels
    assert type_labels["contact_type"] == {
        violence: "Violence reported",
        information: "Information request",
        None: "Not recorded",
    }


def _dispatch(
    org: Organisation, contact: Contact, received: datetime, priority: int, steps: dict[str, int]
) -> Dispatch:
    """A dispatch received at ``received`` whose steps happened so many minutes later."""
    made = Dispatch.objects.create(
        org=org, contact=contact, priority=priority, received_at=received, created_at=received
    )
    DispatchEvent.objects.bulk_create(
        DispatchEvent(org=org, dispatch=made, step=step, at=received + timedelta(minutes=minutes))
        for step, minutes in steps.items()
    )
    return made


def test_dispatch_counts_and_intervals_are_the_medians_and_p90_counted_by_hand(world: World) -> None:
    org = world.org
    contact = _contact(org, MARCH_31, answer=5, end=60)
    S = Dispatch.Status
    days = [datetime(2025, 3, day, 10, 0, tzinfo=UTC) for day in range(10, 15)]
    _dispatch(org, contact, days[0], 1, {S.ACTIVATED: 1, S.EN_ROUTE: 5, S.ON_SCENE: 25})
    _dispatch(org, contact, days[1], 1, {S.EN_ROUTE: 10, S.ON_SCENE: 40})
    _dispatch(org, contact, days[2], 2, {S.EN_ROUTE: 15, S.ON_SCENE: 45})
    _dispatch(org, contact, days[3], 2, {S.EN_ROUTE: 20, S.CANCELLED: 22})
    _dispatch(org, contact, days[4], 3, {})
    _dispatch(org, contact, datetime(2025, 2, 28, 23, 0, tzinfo=UTC), 1, {S.EN_ROUTE: 1, S.ON_SCENE: 2})
    outsider = _contact(world.other_org, MARCH_31, answer=5, end=60)
    _dispatch(world.other_org, outsider, days[0], 1, {S.EN_ROUTE: 1, S.ON_SCENE: 2})
    scope = scope_for(org, parse_period("2025-03"))

    dispatches = indicator("hotline.dispatches").table(scope, ("dispatch_priority",))
    assert dispatches.total.value == 5
    assert {key: cell.value for key, cell in dispatches.cells.items()} == {(1,): 2, (2,): 2, (3,): 1}

    def figures(code: str) -> tuple[Any, ...]:
        table = indicator(code).table(scope, ("dispatch_priority",))
        cells = {key: (cell.value, cell.base) for key, cell in table.cells.items()}
        return table.total.value, table.total.base, cells

    # Request → departure: 5, 10, 15, 20 minutes.
    assert figures("hotline.request_to_departure_median") == (12.5, 4, {(1,): (7.5, 2), (2,): (17.5, 2)})
    assert figures("hotline.request_to_departure_p90") == (18.5, 4, {(1,): (9.5, 2), (2,): (19.5, 2)})
    # Departure → arrival: 20, 30, 30; request → arrival: 25, 40, 45 (the cancelled one never arrived).
    assert figures("hotline.departure_to_arrival_median")[:2] == (30.0, 3)
    assert figures("hotline.departure_to_arrival_p90")[:2] == (30.0, 3)
    assert figures("hotline.request_to_arrival_median") == (40.0, 3, {(1,): (32.5, 2), (2,): (45.0, 1)})
    assert figures("hotline.request_to_arrival_p90")[:2] == (44.0, 3)
    empty = indicator("hotline.request_to_arrival_median").table(scope_for(org, parse_period("2024-03")))
    assert (empty.total.value, empty.total.base) == (None, 0)

    # The dispatch SLA measures the same dispatches for the same interval.
    Target.objects.create(org=org, interval=sla.Interval.RESPONSE, seconds=40 * 60, share=90)
    since, until = datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 4, 1, tzinfo=UTC)
    (response,) = sla.compliance(org, since, until)
    assert (response.measured, response.met) == (3, 2)
