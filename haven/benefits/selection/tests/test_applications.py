"""Applications: judged at submission, refused with a clear reason when she is not eligible, outside the
programme's window, already applying or already enrolled; withdrawn; papers attached and read back."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.benefits.models import Application, RuleSet
from haven.benefits.selection import actions
from haven.benefits.selection.models import ApplicationDocument, ApplicationTransition
from haven.benefits.selection.tests.helpers import applicant, apply, programme_with_rules
from haven.benefits.tests import factories
from haven.conftest import World
from haven.privacy.models import AuditEntry

pytestmark = pytest.mark.usefixtures("fake_rules")
PDF = b"%PDF-1.4 synthetic paper"


def test_it_records_an_eligible_application_with_its_rules_and_score(world: World) -> None:
    programme = programme_with_rules(world.org)
    application = apply(programme, applicant(world.org, land="5", widowed=True))
    application.refresh_from_db()
    assert application.status == Application.Status.ELIGIBLE
    assert application.rule_set == RuleSet.objects.get(programme=programme)
    assert application.priority_score == Decimal("15.00")
    assert application.explanation[0]["rule"] == "age"
    moves = list(
        ApplicationTransition.objects.filter(application=application).values_list("from_status", "to_status")
    )
    assert moves == [("SUBMITTED", "ELIGIBLE")]


def test_it_refuses_an_applicant_outside_eligibility_and_writes_nothing(world: World) -> None:
    programme = programme_with_rules(world.org)
    older = applicant(world.org, born_on=date(1960, 1, 1))
    with pytest.raises(ValidationError) as refused:
        apply(programme, older)
    assert "not eligible" in refused.value.message_dict["beneficiary"][0]
    assert "fails: age" in refused.value.message_dict["beneficiary"][0]
    assert not Application.objects.exists()


def test_it_refuses_without_rules(world: World) -> None:
    programme = factories.vwb(world.org)
    with pytest.raises(ValidationError, match="no eligibility rules"):
        apply(programme, applicant(world.org))


def test_it_refuses_outside_the_application_days(world: World) -> None:
    programme = factories.mother_and_child(world.org)
    RuleSet.objects.create(org=world.org, programme=programme, version=1, created_at=timezone.now())
    late = timezone.make_aware(datetime(2026, 3, 25, 10))
    with pytest.raises(ValidationError, match="days 1 to 20"):
        apply(programme, applicant(world.org), at=late)
    assert (
        apply(programme, applicant(world.org), at=late.replace(day=20)).status == Application.Status.ELIGIBLE
    )


def test_it_refuses_a_second_open_application(world: World) -> None:
    programme = programme_with_rules(world.org)
    her = applicant(world.org)
    apply(programme, her)
    with pytest.raises(ValidationError, match="already has an open application"):
        apply(programme, her)
    assert Application.objects.count() == 1


def test_it_refuses_a_woman_already_enrolled(world: World) -> None:
    programme = programme_with_rules(world.org)
    her = applicant(world.org)
    enrolment = factories.enrolment(programme, her)
    with pytest.raises(ValidationError, match=enrolment.card_number):
        apply(programme, her)


def test_withdrawing_closes_it_and_she_may_apply_again(world: World) -> None:
    programme = programme_with_rules(world.org)
    her = applicant(world.org)
    first = apply(programme, her)
    actions.withdraw_application(application=first, acting_user=None, at=timezone.now())
    assert Application.objects.get(pk=first.pk).status == Application.Status.WITHDRAWN
    with pytest.raises(ValidationError, match="Only an open application"):
        actions.withdraw_application(application=first, acting_user=None, at=timezone.now())
    assert apply(programme, her).status == Application.Status.ELIGIBLE


def test_a_paper_is_stored_encrypted_and_its_download_is_audited(world: World) -> None:
    application = apply(programme_with_rules(world.org), applicant(world.org))
    document = actions.attach_document(
        application=application,
        kind="NID_COPY",
        file_name="C:\\scans\\nid.pdf",
        content=PDF,
        acting_user=None,
        at=timezone.now(),
    )
    stored = ApplicationDocument.objects.filter(pk=document.pk).values_list("content", flat=True).get()
    assert "PDF" not in str(getattr(stored, "token", stored))
    fresh = ApplicationDocument.objects.select_related("application__org").get(pk=document.pk)
    assert fresh.file_name == "nid.pdf" and fresh.content_type == "application/pdf"
    assert actions.read_document(document=fresh, acting_user=None, at=timezone.now()) == PDF
    assert AuditEntry.objects.filter(action=actions.DOCUMENT_READ, object_id=str(document.pk)).count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"MZ\x90 not a scan", "PDF, JPEG or PNG"),
        (b"%PDF-" + b"x" * (2 * 1024 * 1024), "too large"),
    ],
)
def test_it_refuses_bad_papers(world: World, content: bytes, message: str) -> None:
    application = apply(programme_with_rules(world.org), applicant(world.org))
    with pytest.raises(ValidationError, match=message):
        actions.attach_document(
            application=application,
            kind="NID_COPY",
            file_name="x",
            content=content,
            acting_user=None,
            at=timezone.now(),
        )
    assert not ApplicationDocument.objects.exists()


def test_an_officer_registers_a_new_applicant(world: World) -> None:
    area = factories.union(world.org)
    her = actions.register_applicant(
        org=world.org,
        applicant=actions.Applicant(
            name="Shirin Akter",
            area=area,
            born_on=date(1992, 5, 1),
            id_number="1990123456789",
            land_decimals=Decimal("3"),
        ),
        acting_user=world.persona_admin,
        at=timezone.now(),
    )
    assert her.person.name == "Shirin Akter" and her.registry_number.startswith("R")
    assert her.person.sex == "FEMALE"
