"""A session's dates are shown in each counsellor's calendar: a date no calendar of Haven's can show (year
1, 31 December 9999) is refused when the session is recorded, so her pages never fail on it."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.cases.models import Case
from haven.conftest import World
from haven.counselling.models import CounsellingSession
from haven.counselling.tests.conftest import api, body, messages, record
from haven.orgs.models import Calendar
from haven.orgs.roles import Role


def test_dates_her_calendar_cannot_show_are_refused(world: World, case: Case) -> None:
    counsellor = world.members[Role.COUNSELLOR]
    path = f"/counselling/cases/{case.pk}/sessions"
    too_early = api(world, counsellor, "POST", path, body(world, starts_at="0001-01-01T10:00:00"))
    assert too_early.status_code == 422 and "calendars can show" in messages(too_early)
    too_late = api(world, counsellor, "POST", path, body(world, next_session_on="9999-12-31"))
    assert too_late.status_code == 422 and "calendars can show" in messages(too_late)
    client = world.client_for(counsellor)
    page = client.post(
        reverse("counselling:record", args=[case.pk]),
        {
            "kind": "TRAUMA",
            "counsellor": counsellor.pk,
            "modality": "IN_PERSON",
            "language": "fa",
            "starts_at": "0001-01-01T10:00",
            "duration_minutes": "50",
        },
    )
    assert page.status_code == 422 and "calendars can show" in page.content.decode()
    assert not CounsellingSession.objects.exists()

    record(world, case, next_session_on=timezone.localdate() + timedelta(days=7))
    user = counsellor.user
    user.language, user.calendar = "fa", Calendar.SOLAR_HIJRI
    user.save(update_fields=["language", "calendar"])
    assert client.get(reverse("counselling:my_sessions")).status_code == 200
