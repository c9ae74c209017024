"""Receipt numbers: sequential within an organisation and a year, starting again each year, never given
twice, never renumbered when a receipt is cancelled, and safe when two receipts are issued at once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from haven.conftest import World
from haven.orgs.models import Organisation
from haven.supporters import actions
from haven.supporters.models import Receipt
from haven.supporters.tests import walk


def _issue(at: datetime, org: Organisation | None = None) -> Receipt:
    giver = walk.supporter(org)
    return actions.issue_receipt(donation=walk.gift_in_kind(giver), acting_user=None, at=at)


def test_it_numbers_receipts_in_sequence_per_organisation_and_year(world: World) -> None:
    now = timezone.now()
    year = timezone.localtime(now).year
    first, second = _issue(now), _issue(now)
    assert (first.number, second.number) == (f"{year}-00001", f"{year}-00002")
    elsewhere = _issue(now, world.other_org)
    assert elsewhere.number == f"{year}-00001"  # numbering is the organisation's own
    next_year = now.replace(year=year + 1, month=1, day=15)
    assert _issue(next_year).number == f"{year + 1}-00001"


def test_a_cancelled_receipt_keeps_its_number_and_the_next_one_moves_on(world: World) -> None:
    now = timezone.now()
    receipt = _issue(now)
    actions.cancel_receipt(receipt=receipt, reason="Duplicate", acting_user=None, at=now)
    again = actions.issue_receipt(donation=receipt.donation, acting_user=None, at=now + timedelta(minutes=1))
    receipt.refresh_from_db()
    assert (receipt.status, receipt.sequence) == (Receipt.Status.CANCELLED, 1)
    assert again.sequence == 2 and again.number != receipt.number
    with pytest.raises(ValidationError, match="already cancelled"):
        actions.cancel_receipt(receipt=receipt, reason="Again", acting_user=None, at=now)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_receipts_issued_at_once_get_two_numbers(world: World) -> None:
    gifts = [walk.gift_in_kind() for _ in range(4)]
    barrier = threading.Barrier(len(gifts))
    errors: list[BaseException] = []

    def issue(index: int) -> None:
        try:
            barrier.wait()
            actions.issue_receipt(donation=gifts[index], acting_user=None, at=timezone.now())
        except BaseException as exc:  # collected and asserted below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(index,)) for index in range(len(gifts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(Receipt.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_clicks_on_issue_give_one_receipt(world: World) -> None:
    gift = walk.gift_in_kind()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def issue() -> None:
        try:
            barrier.wait()
            actions.issue_receipt(donation=gift, acting_user=None, at=timezone.now())
            outcomes.append("issued")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("issued") == 1, outcomes
    assert Receipt.objects.filter(donation=gift).count() == 1
