"""The case page's legal panel and timeline, and query counts of the matter list and the panel."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haven.legal import actions
from haven.legal.tests.conftest import OPPONENT_NAME, Legal, hearing_on, new_case, open_matter
from haven.orgs.roles import Role


def test_it_shows_matters_and_their_events_on_the_case_page(legal: Legal) -> None:
    matter = open_matter(legal.case, legal.at, advocate=legal.external)
    hearing = hearing_on(matter, legal.at - timedelta(days=1), legal.at)
    actions.record_hearing_result(hearing=hearing, result="ORDER_GRANTED", acting_user=None, at=legal.at)
    actions.record_outcome(
        matter=matter, outcome="GRANTED", closed_on=matter.opened_on, acting_user=None, at=legal.at
    )
    page = legal.world.client_for(legal.world.members[Role.CASEWORKER]).get(
        reverse("cases:detail", args=[legal.case.pk])
    )
    html = page.content.decode()
    panel = html.split('id="legal-matters"')[1].split("</section>")[0]
    assert matter.reference in panel and "Advocate Rahman" in panel and "Granted" in panel
    timeline = html.split('id="timeline"')[1]
    assert f"Legal matter opened: Protection order ({matter.reference})" in timeline
    assert f"Hearing in {matter.reference}: Order granted" in timeline
    assert f"Legal matter {matter.reference} closed: Granted" in timeline
    assert OPPONENT_NAME not in html


def _count(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == 200
    return len(queries)


def test_it_lists_matters_and_the_panel_in_a_fixed_number_of_queries(legal: Legal) -> None:
    manager = legal.world.client_for(legal.world.members[Role.CENTRE_MANAGER])
    open_matter(legal.case, legal.at, advocate=legal.in_house)
    few = (_count(manager, reverse("legal:matters")), _count(manager, reverse("legal:advocates")))
    for _ in range(4):
        matter = open_matter(new_case(legal.world), legal.at, advocate=legal.in_house)
        hearing_on(matter, legal.at + timedelta(days=3), legal.at)
    actions.add_advocate(
        org=legal.world.org, kind="EXTERNAL", name="Adv. Second", acting_user=None, at=legal.at
    )
    many = (_count(manager, reverse("legal:matters")), _count(manager, reverse("legal:advocates")))
    assert few == many
