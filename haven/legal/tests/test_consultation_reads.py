"""A consultation's notes are part of her legal file: listing a case's consultations through the API, which
returns their notes, is a read entry (`legal.view`) for each one, as opening the matter's page is."""

from __future__ import annotations

from datetime import timedelta

from haven.legal import actions
from haven.legal.tests.conftest import Legal, api
from haven.privacy.models import AuditEntry


def test_listing_consultations_with_their_notes_is_an_audited_read(legal: Legal) -> None:
    consultation = actions.log_consultation(
        case=legal.case,
        advocate=legal.in_house,
        held_at=legal.at - timedelta(hours=2),
        modality="PHONE",
        notes="She wants to know about custody",
        acting_user=None,
        at=legal.at,
    )
    response = api(legal.world, legal.lawyer, "GET", f"/cases/{legal.case.pk}/consultations")
    assert response.status_code == 200
    assert [row["notes"] for row in response.json()] == ["She wants to know about custody"]
    reads = AuditEntry.objects.filter(action=actions.MATTER_VIEW, object_id=str(consultation.pk))
    assert list(reads.values_list("actor_id", "org_id", "fields")) == [
        (legal.lawyer.user_id, legal.world.org.pk, ["notes"])
    ]
