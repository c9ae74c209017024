"""The pages: the fast issue page of the distribution day, and the lists with bounded query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.benefits.distribution.actions import close_distribution, issue_ration
from haven.benefits.distribution.models import Issue
from haven.benefits.distribution.tests.helpers import Scene, enrol, entitle, point, scene, written
from haven.benefits.models import Entitlement
from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


@pytest.fixture
def here(world: World) -> Scene:
    return scene(world.org, cards=3)


def _issue_url(here: Scene) -> str:
    return reverse("distribution:issue", args=[here.point.pk, here.cycle.pk])


def test_the_issue_page_looks_the_card_up_then_records_the_hand_over(world: World, here: Scene) -> None:
    client = world.client_for(world.members[Role.COMPUTER_OPERATOR])
    page = client.get(_issue_url(here))
    assert page.status_code == 200 and b"autofocus" in page.content

    shown = client.post(_issue_url(here), {"card_number": here.cards[0]})
    assert shown.status_code == 200
    assert "Rokeya Khatun" in shown.content.decode() and "30 kg" in shown.content.decode()
    assert AuditEntry.objects.filter(action="distribution.lookup").count() == 1
    assert here.entitlement(0).status == Entitlement.Status.DUE  # looking is not issuing

    confirm = {
        "confirm": "1",
        "card_number": here.cards[0],
        "by_proxy": "on",
        "proxy_name": "Jamal Uddin",
        "proxy_relationship": "CHILD",
        "proxy_id_checked": "on",
    }
    done = client.post(_issue_url(here), confirm, follow=True)
    assert done.redirect_chain[-1][0] == _issue_url(here)
    assert f"Issued 30 kg of rice for card {here.cards[0]}." in done.content.decode()
    issue = Issue.objects.get()
    assert (issue.by_proxy, issue.proxy_name, issue.issued_by) == (
        True,
        "Jamal Uddin",
        world.persona(Role.COMPUTER_OPERATOR),
    )

    again = client.post(_issue_url(here), confirm)
    assert again.status_code == 422
    assert "was already issued" in again.content.decode()


def test_the_issue_page_refuses_a_wrong_card_and_writes_nothing(world: World, here: Scene) -> None:
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    before = written()
    answer = client.post(_issue_url(here), {"card_number": "VWB-404"})
    assert answer.status_code == 422
    assert "There is no card VWB-404" in answer.content.decode()
    assert written() == before


def _queries_per_page(client: Any, pages: list[tuple[Any, ...]]) -> list[int]:
    counts = []
    for name, *args in pages:
        with CaptureQueriesContext(connection) as run:
            assert client.get(reverse(name, args=args)).status_code == 200, name
        counts.append(len(run))
    return counts


def test_the_pages_take_as_many_queries_for_many_points_as_for_one(world: World, here: Scene) -> None:
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    pages: list[tuple[Any, ...]] = [
        ("distribution:points",),
        ("distribution:point", here.point.pk),
        ("distribution:cycles",),
        ("distribution:cycle", here.cycle.pk),
        ("distribution:issue", here.point.pk, here.cycle.pk),
        ("distribution:uncollected", here.point.pk, here.cycle.pk),
        ("distribution:figures",),
    ]
    client.get(reverse("distribution:points"))  # the first request of a session writes more
    few = _queries_per_page(client, pages)
    assert max(few) <= 20
    for name in ("Char union", "Bhabanipur union", "Sreepur union"):
        entitle(
            here.cycle,
            enrol(
                here.programme,
                point(world.org, [factories.union(world.org, name)], name=f"{name} store")
                .served_unions.get()
                .union,
                2,
            ),
        )
    for card in here.cards:
        issue_ration(
            point=here.point, cycle=here.cycle, card_number=card, acting_user=None, at=timezone.now()
        )
    close_distribution(point=here.point, cycle=here.cycle, acting_user=None, at=timezone.now())
    assert _queries_per_page(client, pages) == few


def test_a_point_is_set_up_from_its_page(world: World) -> None:
    factories.vwb(world.org)
    union = factories.union(world.org, "Kaliganj union")
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    answer = client.post(
        reverse("distribution:point_create"), {"name": "Kaliganj UP store", "unions": [str(union.pk)]}
    )
    assert answer.status_code == 302
    point_url = answer["Location"]
    received = client.post(
        point_url + "receive/", {"item": "rice", "quantity": "500", "reference": "DO-1"}, follow=True
    )
    assert "Stock received." in received.content.decode()
    refused = client.post(
        point_url + "loss/", {"item": "rice", "quantity": "600", "reason": "rats"}, follow=True
    )
    assert "Only 500 of rice is on hand" in refused.content.decode()
