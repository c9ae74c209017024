"""Issuing a ration against a card: what is written, who collected it, and every refusal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.benefits import actions as benefit_actions
from haven.benefits.distribution import actions, queries
from haven.benefits.distribution.models import Issue, StockMovement
from haven.benefits.distribution.tests.helpers import Scene, cycle, enrol, entitle, point, scene, written
from haven.benefits.models import Cycle, Entitlement
from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


@pytest.fixture
def here(world: World) -> Scene:
    return scene(world.org, cards=3, stock="1000")


def _issue(here: Scene, card: str, proxy: actions.Proxy | None = None) -> Issue:
    return actions.issue_ration(
        point=here.point, cycle=here.cycle, card_number=card, proxy=proxy, acting_user=None, at=timezone.now()
    )


def test_it_issues_the_ration_and_takes_it_from_stock_together(world: World, here: Scene) -> None:
    clerk = world.persona(Role.COMPUTER_OPERATOR)
    issue = actions.issue_ration(
        point=here.point,
        cycle=here.cycle,
        card_number=f" {here.cards[0].lower()} ",
        acting_user=clerk,
        at=timezone.now(),
    )
    assert here.entitlement(0).status == Entitlement.Status.ISSUED
    assert (issue.movement.kind, issue.movement.change, issue.movement.cycle) == (
        "ISSUED",
        Decimal("-30.00"),
        here.cycle,
    )
    assert (issue.by_proxy, issue.issued_by) == (False, clerk)
    assert queries.on_hand([here.point.pk])[(here.point.pk, "rice")] == Decimal("970.00")
    entry = AuditEntry.objects.filter(action="distribution.issue").get()
    assert entry.object_id == str(issue.pk)


def test_it_records_a_proxy_with_her_name_encrypted(here: Scene) -> None:
    proxy = actions.Proxy(name="Jamal Uddin", relationship="CHILD", id_checked=True)
    issue = _issue(here, here.cards[1], proxy=proxy)
    stored = Issue.objects.get(pk=issue.pk)
    assert (stored.by_proxy, stored.proxy_name, stored.proxy_relationship, stored.proxy_id_checked) == (
        True,
        "Jamal Uddin",
        "CHILD",
        True,
    )
    assert "Jamal" not in str(Issue.objects.values_list("proxy_name", flat=True).get(pk=issue.pk))
    entry = AuditEntry.objects.filter(action="distribution.issue").get()
    assert "Jamal" not in str(entry.fields)
    with pytest.raises(ValidationError) as refused:
        _issue(here, here.cards[2], proxy=actions.Proxy(name="", relationship="CHILD", id_checked=False))
    assert "proxy_name" in refused.value.message_dict


def test_it_finds_what_a_card_is_due_and_audits_the_look_up(here: Scene) -> None:
    ration = actions.find_ration(
        point=here.point, cycle=here.cycle, card_number=here.cards[0], acting_user=None, at=timezone.now()
    )
    assert (ration.entitlement.quantity, ration.unit) == (Decimal("30.00"), "kg")
    assert ration.enrolment.beneficiary.person.name == "Rokeya Khatun"
    assert AuditEntry.objects.filter(
        action="distribution.lookup", object_id=str(ration.enrolment.pk)
    ).exists()


def test_it_refuses_a_wrong_card_or_a_card_of_another_union(world: World, here: Scene) -> None:
    elsewhere = factories.union(world.org, "Char union")
    other_card = enrol(here.programme, elsewhere, 1)
    entitle(here.cycle, other_card)
    point(world.org, [elsewhere], name="Char store", stock=None)
    before = written()
    other = other_card[0].card_number
    cases = {
        "VWB-404": "There is no card VWB-404 in Vulnerable Women Benefit. Check the number on the card.",
        other: f"Card {other} belongs to Char union, which does not collect at Kaliganj union store.",
        "": "Enter the number on her card.",
    }
    for card, message in cases.items():
        with pytest.raises(ValidationError) as refused:
            _issue(here, card)
        assert refused.value.message_dict == {"card_number": [message]}
    assert written() == before


def test_it_refuses_a_ration_already_issued_or_no_longer_due(here: Scene) -> None:
    _issue(here, here.cards[0])
    Entitlement.objects.filter(pk=here.entitlement(1).pk).update(status=Entitlement.Status.CANCELLED)
    before = written()
    with pytest.raises(ValidationError) as refused:
        _issue(here, here.cards[0])
    assert refused.value.message_dict["card_number"] == [
        f"The ration of card {here.cards[0]} for 2026-03 was already issued."
    ]
    with pytest.raises(ValidationError) as refused:
        _issue(here, here.cards[1])
    assert "was cancelled" in refused.value.message_dict["card_number"][0]
    assert written() == before


def test_it_refuses_an_unapproved_cycle_and_a_ration_beyond_stock(world: World) -> None:
    generated = scene(world.org, cards=1, status=Cycle.Status.GENERATED)
    with pytest.raises(ValidationError) as refused:
        actions.issue_ration(
            point=generated.point,
            cycle=generated.cycle,
            card_number=generated.cards[0],
            acting_user=None,
            at=timezone.now(),
        )
    assert refused.value.message_dict["cycle"] == [
        "The cycle of 2026-03 is not approved: its rations cannot be issued."
    ]

    poor = scene(
        world.org,
        cards=1,
        stock="29.5",
        union_name="Char union",
        programme=factories.vwb(world.org, code="vwb2"),
    )
    before = written()
    with pytest.raises(ValidationError) as refused:
        _issue(poor, poor.cards[0])
    assert refused.value.message_dict["card_number"] == [
        "Only 29.5 of rice is on hand at Char union store; 30 cannot leave it."
    ]
    assert written() == before
    assert StockMovement.objects.filter(point=poor.point, kind="ISSUED").count() == 0


def test_the_unique_issue_per_entitlement_is_the_last_guard(here: Scene) -> None:
    """A clerk who read the ration as still due (no row locks on SQLite) is refused, not given a 500."""
    _issue(here, here.cards[0])
    Entitlement.objects.filter(pk=here.entitlement(0).pk).update(
        status=Entitlement.Status.DUE
    )  # the stale read
    before = written()
    with pytest.raises(ValidationError) as refused:
        _issue(here, here.cards[0])
    assert "already issued" in refused.value.message_dict["card_number"][0]
    assert written() == before


def test_a_card_whose_enrolment_ended_before_the_cycle_s_month_gets_nothing(here: Scene) -> None:
    """Her ration of a cycle approved before she exited stays DUE, but it is stopped at the point."""
    exit_at = timezone.now()
    for index, on in ((0, date(2026, 2, 10)), (1, date(2026, 3, 10))):
        benefit_actions.exit_enrolment(
            enrolment=here.enrolments[index], reason="DIED", on=on, acting_user=None, at=exit_at
        )
    before = written()
    for look in (actions.find_ration, actions.issue_ration):
        with pytest.raises(ValidationError) as refused:
            look(
                point=here.point,
                cycle=here.cycle,
                card_number=here.cards[0],
                acting_user=None,
                at=timezone.now(),
            )
        assert "ended before March 2026" in str(refused.value.message_dict["card_number"])
    assert written() == before and here.entitlement(0).status == Entitlement.Status.DUE
    _issue(here, here.cards[1])  # she exited during the month: that month's ration is still hers
    assert here.entitlement(1).status == Entitlement.Status.ISSUED


def test_a_ration_cannot_take_the_stock_another_month_holds_at_the_point(world: World) -> None:
    """What the point can give a cycle is its stock on hand less what other cycles still hold there
    (`PointNeed.available`): issuing March's rations must not eat April's allocation."""
    here = scene(world.org, cards=2, stock="100")  # March: approved, never allocated
    april = cycle(here.programme, date(2026, 4, 1), status=Cycle.Status.GENERATED)
    entitle(april, here.enrolments)
    actions.allocate_cycle(cycle=april, acting_user=None, at=timezone.now())  # holds 60 of the 100
    _issue(here, here.cards[0])  # 30 of the 40 not held

    before = written()
    with pytest.raises(ValidationError) as refused:
        _issue(here, here.cards[1])

    assert refused.value.message_dict["card_number"] == [
        "Only 10 of rice at Kaliganj union store is not held for the rations of other months; "
        "30 cannot be issued for March 2026."
    ]
    assert written() == before
    [row] = queries.stock_rows([here.point.pk])
    assert (row.on_hand, row.reserved) == (Decimal("70.00"), Decimal("60.00"))
