"""Selection lists: the draft ranks the union's eligible applications within the quota; the committee
reviews; the list is published for objections, which are decided; the final list enrols the included."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.benefits.models import Application, Enrolment, EnrolmentTransition
from haven.benefits.selection import actions, queries
from haven.benefits.selection.models import (
    ApplicationTransition,
    Objection,
    SelectionEntry,
    SelectionList,
    SelectionListTransition,
)
from haven.benefits.selection.tests.helpers import (
    applicant,
    apply,
    programme_with_rules,
    published,
    quota,
    reviewed,
)
from haven.benefits.tests import factories
from haven.conftest import World

pytestmark = pytest.mark.usefixtures("fake_rules")
Scene = tuple[Any, Any, Any, tuple[Application, Application, Application]]


@pytest.fixture
def scene(world: World) -> Scene:
    """Three eligible women of one union (scores 15, 10, 0) and one of another union; two places."""
    programme = programme_with_rules(world.org)
    union = factories.union(world.org)
    other = factories.union(world.org, "Nalta union")
    widow = apply(programme, applicant(world.org, union, land="2", widowed=True, name="Amena Begum"))
    landless = apply(programme, applicant(world.org, union, land="5", name="Bilkis Nahar"))
    landed = apply(programme, applicant(world.org, union, land="40", name="Champa Rani"))
    apply(programme, applicant(world.org, other, land="0"))
    return programme, union, quota(programme, union, places=2), (widow, landless, landed)


def test_the_draft_takes_the_highest_scores_of_the_union_within_the_places(scene: Scene) -> None:
    _programme, _union, places, (widow, landless, _landed) = scene
    selection_list = actions.build_draft(quota=places, acting_user=None, at=timezone.now())
    ranked = list(
        SelectionEntry.objects.filter(selection_list=selection_list).values_list("rank", "application_id")
    )
    assert ranked == [(1, widow.pk), (2, landless.pk)]
    assert selection_list.status == SelectionList.Status.DRAFT
    with pytest.raises(ValidationError, match="already built"):
        actions.build_draft(quota=places, acting_user=None, at=timezone.now())


def test_publishing_needs_every_decision_and_a_member_present(scene: Scene) -> None:
    *_rest, places, _apps = scene
    selection_list = actions.build_draft(quota=places, acting_user=None, at=timezone.now())
    actions.start_review(
        selection_list=selection_list,
        committee_name="Union committee",
        reviewed_on=timezone.localdate(),
        acting_user=None,
        at=timezone.now(),
    )
    later = timezone.localdate() + timedelta(days=7)
    with pytest.raises(ValidationError, match="not decided on every woman"):
        actions.publish_list(
            selection_list=selection_list, objections_end_on=later, acting_user=None, at=timezone.now()
        )
    first = SelectionEntry.objects.filter(selection_list=selection_list).order_by("rank")[0]
    with pytest.raises(ValidationError, match="required"):
        actions.decide_entry(entry=first, decision="EXCLUDE", reason=" ", acting_user=None, at=timezone.now())
    actions.decide_entry(
        entry=first,
        decision="EXCLUDE",
        reason="Owns 60 decimals (home visit)",
        acting_user=None,
        at=timezone.now(),
    )
    actions.include_undecided(selection_list=selection_list, acting_user=None, at=timezone.now())
    with pytest.raises(ValidationError, match="committee members"):
        actions.publish_list(
            selection_list=selection_list, objections_end_on=later, acting_user=None, at=timezone.now()
        )
    assert SelectionList.objects.get(pk=selection_list.pk).status == SelectionList.Status.IN_REVIEW


def test_objections_exclude_or_add_and_the_final_list_enrols(scene: Scene) -> None:
    programme, _union, places, (widow, landless, landed) = scene
    selection_list = published(
        actions.build_draft(quota=places, acting_user=None, at=timezone.now() - timedelta(days=9)), days_ago=9
    )
    objection_at = timezone.now() - timedelta(days=8)
    against = actions.record_objection(
        selection_list=selection_list,
        about="ENTRY",
        text="She has a salaried husband.",
        registry_number=widow.beneficiary.registry_number.lower(),
        channel="PUBLIC",
        acting_user=None,
        at=objection_at,
    )
    omission = actions.record_objection(
        selection_list=selection_list,
        about="OMISSION",
        text="Champa was left out",
        channel="OFFICER",
        acting_user=None,
        at=objection_at,
    )
    with pytest.raises(ValidationError, match="wait for a decision"):
        actions.finalise_list(selection_list=selection_list, acting_user=None, at=timezone.now())
    with pytest.raises(ValidationError, match="list is full"):
        actions.decide_objection(
            objection=omission,
            upheld=True,
            reason="Checked",
            omitted_application=landed,
            acting_user=None,
            at=timezone.now(),
        )
    actions.decide_objection(
        objection=against, upheld=True, reason="Confirmed by visit", acting_user=None, at=timezone.now()
    )
    actions.decide_objection(
        objection=omission,
        upheld=True,
        reason="Checked",
        omitted_application=landed,
        acting_user=None,
        at=timezone.now(),
    )
    final = actions.finalise_list(selection_list=selection_list, acting_user=None, at=timezone.now())

    assert final.status == SelectionList.Status.FINAL
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses[widow.pk] == "NOT_SELECTED"
    assert statuses[landless.pk] == statuses[landed.pk] == "SELECTED"
    enrolments = Enrolment.objects.filter(programme=programme).order_by("card_number")
    assert [e.application_id for e in enrolments] == [landless.pk, landed.pk]
    first = enrolments[0]
    today = timezone.localdate()
    assert first.starts_on == date(today.year + today.month // 12, today.month % 12 + 1, 1)
    assert (
        first.ends_on.year - first.starts_on.year
    ) * 12 + first.ends_on.month - first.starts_on.month == 23
    assert first.card_number.startswith("VWB")
    assert ApplicationTransition.objects.filter(to_status="SELECTED").count() == 2
    # Her enrolment's history starts at the list, as when an officer enrols her one by one.
    enrolled = EnrolmentTransition.objects.filter(from_status="", to_status="ACTIVE")
    assert sorted(enrolled.values_list("enrolment_id", flat=True)) == sorted(e.pk for e in enrolments)
    steps = list(
        SelectionListTransition.objects.filter(selection_list=final).values_list("to_status", flat=True)
    )
    assert steps == ["DRAFT", "IN_REVIEW", "PUBLISHED", "FINAL"]


def test_it_refuses_to_finalise_during_the_window_and_objections_after_it(scene: Scene) -> None:
    *_rest, places, (_widow, *_others) = scene
    selection_list = published(actions.build_draft(quota=places, acting_user=None, at=timezone.now()))
    with pytest.raises(ValidationError, match="objection window is open"):
        actions.finalise_list(selection_list=selection_list, acting_user=None, at=timezone.now())
    with pytest.raises(ValidationError, match="registry number"):
        actions.record_objection(
            selection_list=selection_list,
            about="ENTRY",
            text="x",
            registry_number="NOPE",
            channel="PUBLIC",
            acting_user=None,
            at=timezone.now(),
        )
    with pytest.raises(ValidationError, match="closed on"):
        actions.record_objection(
            selection_list=selection_list,
            about="OMISSION",
            text="late",
            channel="PUBLIC",
            acting_user=None,
            at=timezone.now() + timedelta(days=8),
        )
    assert not Objection.objects.exists()


def test_a_second_active_enrolment_is_refused_at_finalising(scene: Scene) -> None:
    programme, _union, places, (widow, *_others) = scene
    selection_list = published(
        actions.build_draft(quota=places, acting_user=None, at=timezone.now()), days_ago=9
    )
    factories.enrolment(programme, widow.beneficiary)  # enrolled elsewhere meanwhile
    with pytest.raises(ValidationError, match="already have an active enrolment"):
        actions.finalise_list(selection_list=selection_list, acting_user=None, at=timezone.now())
    assert Enrolment.objects.filter(programme=programme).count() == 1
    assert SelectionList.objects.get(pk=selection_list.pk).status == SelectionList.Status.PUBLISHED


def test_the_public_notice_shows_initials_and_registry_numbers_only(scene: Scene) -> None:
    *_rest, places, (widow, _landless, _landed) = scene
    selection_list = published(actions.build_draft(quota=places, acting_user=None, at=timezone.now()))
    shown = queries.public_entries(selection_list)
    assert [(e.rank, e.initials) for e in shown] == [(1, "A. B."), (2, "B. N.")]
    assert shown[0].registry_number == widow.beneficiary.registry_number


def test_withdrawing_excludes_her_from_a_list_in_review(scene: Scene) -> None:
    *_rest, places, (widow, *_others) = scene
    selection_list = actions.build_draft(quota=places, acting_user=None, at=timezone.now())
    actions.withdraw_application(application=widow, acting_user=None, at=timezone.now())
    assert SelectionEntry.objects.get(application=widow).decision == "EXCLUDE"
    reviewed(selection_list)
    assert queries.public_entries(selection_list)[0].rank == 2
