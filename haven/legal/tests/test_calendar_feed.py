"""A lawyer's calendar page and her iCalendar feed at a secret address: valid iCalendar, one VEVENT per
hearing or scheduled consultation with stable UIDs, no personal data; a revoked or wrong token is 404."""

from __future__ import annotations

import re
from datetime import timedelta

import icalendar
from django.test import Client
from django.urls import reverse

from haven.legal import actions
from haven.legal.models import CalendarFeed
from haven.legal.tests.conftest import OPPONENT_NAME, SURVIVOR_NAME, Legal, hearing_on, open_matter


def _feed_path(page: str) -> str:
    match = re.search(r'<code id="feed-url" class="token">https?://[^/]+(/[^<]+)</code>', page)
    assert match is not None
    return match.group(1)


def test_it_serves_a_feed_without_personal_data(legal: Legal) -> None:
    matter = open_matter(legal.case, legal.at, advocate=legal.in_house)
    hearing = hearing_on(matter, legal.at + timedelta(days=5), legal.at)
    actions.log_consultation(
        case=legal.case,
        matter=matter,
        advocate=legal.in_house,
        held_at=legal.at + timedelta(days=1),
        modality="PHONE",
        notes=f"Call {SURVIVOR_NAME}",
        acting_user=None,
        at=legal.at,
    )
    client = legal.world.client_for(legal.lawyer)
    calendar_page = client.get(reverse("legal:my_calendar")).content.decode()
    assert matter.reference in calendar_page and SURVIVOR_NAME not in calendar_page
    made = client.post(reverse("legal:feed_create", args=[legal.in_house.pk]))
    assert made.status_code == 200
    token_path = _feed_path(made.content.decode())
    response = Client().get(token_path)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    parsed = icalendar.Calendar.from_ical(response.content)
    events = list(parsed.walk("VEVENT"))
    assert {str(e["UID"]) for e in events} == {
        f"hearing-{hearing.pk}@haven",
        f"consultation-{matter.consultations.get().pk}@haven",
    }
    by_uid = {str(e["UID"]): e for e in events}
    assert by_uid[f"hearing-{hearing.pk}@haven"].decoded("DTSTART") == hearing.starts_at.replace(
        microsecond=0
    )
    assert (
        str(by_uid[f"hearing-{hearing.pk}@haven"]["SUMMARY"])
        == f"Hearing · {matter.reference} · Family Court, Dhaka"
    )
    for secret in (SURVIVOR_NAME, "Amina", OPPONENT_NAME, "Karim", legal.case.survivor.survivor_code):
        assert secret not in body
    assert CalendarFeed.objects.get().token_hash not in body


def test_it_stops_a_revoked_or_replaced_address(legal: Legal) -> None:
    client = legal.world.client_for(legal.lawyer)
    first = _feed_path(client.post(reverse("legal:feed_create", args=[legal.in_house.pk])).content.decode())
    second = _feed_path(client.post(reverse("legal:feed_create", args=[legal.in_house.pk])).content.decode())
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    client.post(reverse("legal:feed_revoke", args=[legal.in_house.pk]))
    assert Client().get(second).status_code == 404
    assert Client().get(reverse("legal:feed", args=["not-a-token"])).status_code == 404
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 0
