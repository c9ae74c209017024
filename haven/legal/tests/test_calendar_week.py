"""The calendar page's `?week=` is typed into an address bar: a date at either end of the calendar (whose
four weeks, or the week before, do not exist) shows this week's calendar instead of a server error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.legal.queries import week_start
from haven.legal.tests.conftest import Legal


@pytest.mark.parametrize("week", ["9999-12-31", "9999-12-01", "0001-01-01", "0001-01-05"])
def test_a_week_at_the_edge_of_the_calendar_shows_this_week(legal: Legal, week: str) -> None:
    client = legal.world.client_for(legal.lawyer)
    for url in (
        reverse("legal:my_calendar"),
        reverse("legal:advocate_calendar", args=[legal.in_house.pk]),
    ):
        response = client.get(url, {"week": week})
        assert response.status_code == 200
        assert response.context["days"][0][0] == week_start(timezone.localdate())


def test_an_ordinary_week_is_still_shown(legal: Legal) -> None:
    wanted = timezone.localdate() + timedelta(days=70)
    response = legal.world.client_for(legal.lawyer).get(
        reverse("legal:my_calendar"), {"week": wanted.isoformat()}
    )
    assert response.status_code == 200
    assert response.context["days"][0][0] == week_start(wanted)
