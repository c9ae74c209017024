"""A counsellor's own sessions, dates in her calendar, in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from haven.conftest import World
from haven.counselling.tests.conftest import make_case, record
from haven.orgs.models import Calendar
from haven.orgs.roles import Role
from haven.web import calendars


def _queries(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(queries)


def test_it_lists_her_sessions_in_a_fixed_number_of_queries(world: World) -> None:
    client = world.client_for(world.members[Role.COUNSELLOR])
    url = reverse("counselling:my_sessions")
    record(world, make_case(world))
    few = _queries(client, url)
    for _ in range(4):
        record(world, make_case(world))
    assert _queries(client, url) == few
    assert client.get(url).content.decode().count('href="/counselling/sessions/') == 5


def test_it_shows_dates_in_her_solar_hijri_calendar(world: World) -> None:
    counsellor = world.members[Role.COUNSELLOR]
    user = counsellor.user
    user.language, user.calendar = "fa", Calendar.SOLAR_HIJRI
    user.save(update_fields=["language", "calendar"])
    at = timezone.now()
    session = record(
        world, make_case(world), at=at, next_session_on=timezone.localdate(at) + timedelta(days=7)
    )
    content = world.client_for(counsellor).get(reverse("counselling:my_sessions")).content.decode()
    with translation.override("fa"):
        expected = calendars.format_date(
            timezone.localtime(session.starts_at).date(), Calendar.SOLAR_HIJRI, "fa"
        )
    assert expected in content
    # No Gregorian year in what she reads, in Latin or Persian digits. Links and the survivor code are
    # random (a case's id once held "2026"), so only the page's text without them is read.
    shown = re.sub(r"<[^>]*>", " ", content).replace(session.case.survivor.survivor_code, "")
    year = str(timezone.localdate(at).year)
    assert year not in shown
    assert year.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) not in shown
