"""Times an API client sends without a UTC offset are the organisation's local time (`LocalDateTime`), for
hearings and consultations as for every other API time; compared as they came, they were server errors."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from haven.legal.models import Consultation, Hearing
from haven.legal.tests.conftest import Legal, api, open_matter


def _naive(days: int) -> str:
    """A local wall-clock time `days` from now, written without its offset, to the minute."""
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(second=0, microsecond=0, tzinfo=None).isoformat()


def test_a_hearing_time_without_an_offset_is_read_as_local_time(legal: Legal) -> None:
    matter = open_matter(legal.case, legal.at)
    sent = _naive(-2)

    response = api(
        legal.world,
        legal.lawyer,
        "POST",
        f"/matters/{matter.pk}/hearings",
        {"starts_at": sent, "purpose": "FIRST_HEARING"},
    )

    assert response.status_code == 201, response.content
    stored = Hearing.objects.get(matter=matter).starts_at
    assert timezone.localtime(stored).replace(tzinfo=None).isoformat() == sent


def test_a_consultation_time_without_an_offset_is_read_as_local_time(legal: Legal) -> None:
    sent = _naive(2)
    body = {"advocate_id": str(legal.external.pk), "held_at": sent, "modality": "LEGAL_CLINIC"}

    response = api(legal.world, legal.lawyer, "POST", f"/cases/{legal.case.pk}/consultations", body)

    assert response.status_code == 201, response.content
    stored = Consultation.objects.get().held_at
    assert timezone.localtime(stored).replace(tzinfo=None).isoformat() == sent
