"""Two organisations share a month's statistics through a network; the consolidator combines them."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.conftest import World, make_member, make_org
from haven.orgs import actions as org_actions
from haven.orgs.models import Area
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.reports.sharing import actions
from haven.reports.sharing.forms import report_choices
from haven.reports.sharing.models import (
    ConsolidatedReport,
    Network,
    NetworkMember,
    Submission,
    SubmissionTransition,
)
from haven.reports.sharing.tests import helpers

pytestmark = pytest.mark.django_db


def test_it_shares_aggregates_only_and_consolidates_them_without_identities(world: World) -> None:
    home, member_org = world.org, world.other_org
    month = helpers.last_month()
    day = month.start + timedelta(days=2)
    at = timezone.now()
    # Member org names its district the same way: areas are compared by code or name, not by id.
    their_district = org_actions.create_area(
        org=member_org, name="Montréal", level=Area.Level.DISTRICT, acting_user=None, at=at
    )
    ours = helpers.incidents(home, count=6, on=day, area=world.district, place="HOME", name="Amina Walkfield")
    theirs = helpers.incidents(
        member_org, count=2, on=day, area=their_district, place="STREET", name="Zara Q"
    )
    net = helpers.network(home, name="Montréal GBVIMS")
    officer = world.persona(Role.DATA_OFFICER)

    # No implicit cross-org read: before accepting, the member cannot submit.
    invitation = actions.invite_member(
        network=net, slug=member_org.slug, acting_user=world.persona_admin, at=at
    )
    with pytest.raises(ValidationError, match="not a member"):
        actions.prepare_submission(
            network=net,
            org=member_org,
            report_code=helpers.REPORT,
            period_code=month.code,
            acting_user=None,
            at=at,
        )
    with pytest.raises(ValidationError, match="already invited"):
        actions.invite_member(network=net, slug=member_org.slug, acting_user=None, at=at)
    actions.accept_invitation(invitation=invitation, acting_user=world.outsider.user, at=at)

    ours_draft = actions.prepare_submission(
        network=net, org=home, report_code=helpers.REPORT, period_code=month.code, acting_user=officer, at=at
    )
    theirs_draft = actions.prepare_submission(
        network=net,
        org=member_org,
        report_code=helpers.REPORT,
        period_code=month.code,
        acting_user=None,
        at=at,
    )
    text = json.dumps(ours_draft.cells)
    forbidden = [str(i.pk) for i in ours] + [str(i.case_id) for i in ours]
    forbidden += [str(i.case.survivor_id) for i in ours] + [
        "Amina",
        "Walkfield",
        str(world.district.pk),
        str(home.pk),
    ]
    assert not [value for value in forbidden if value in text]
    (entry,) = ours_draft.cells["indicators"]
    assert entry["total"]["value"] == 6
    by_dimension = {
        tuple(t["dimensions"]): {tuple(c["key"]): c["value"] for c in t["cells"]} for t in entry["tables"]
    }
    assert by_dimension[("area",)] == {("Montréal",): 6}
    assert by_dimension[(helpers.PLACE,)] == {("HOME",): 6}

    for draft in (ours_draft, theirs_draft):
        actions.approve_submission(submission=draft, acting_user=officer, at=at)
    # Two contributors could each subtract their own figures and read the other's: not yet.
    with pytest.raises(ValidationError, match="at least 3 must"):
        actions.consolidate(
            network=net, report_code=helpers.REPORT, period_code=month.code, acting_user=officer, at=at
        )
    third_member = helpers.joined(net, "third-member")
    third_district = org_actions.create_area(
        org=third_member, name="Montréal", level=Area.Level.DISTRICT, acting_user=None, at=at
    )
    helpers.incidents(third_member, count=5, on=day, area=third_district, place="HOME", name="Noor T")
    helpers.approved_submission(net, third_member, month)
    with pytest.raises(ValidationError, match="already approved"):
        actions.prepare_submission(
            network=net, org=home, report_code=helpers.REPORT, period_code=month.code, acting_user=None, at=at
        )

    result = actions.consolidate(
        network=net, report_code=helpers.REPORT, period_code=month.code, acting_user=officer, at=at
    )
    assert result.contributors == 3
    text = json.dumps(result.cells)
    for value in (
        str(home.pk),
        str(member_org.pk),
        home.slug,
        member_org.slug,
        home.name,
        member_org.name,
        "Zara",
    ):
        assert value not in text
    assert not [i for i in theirs if str(i.pk) in text or str(i.case.survivor_id) in text]
    (entry,) = result.cells["indicators"]
    assert entry["total"] == {"value": 13, "base": None, "suppressed": False}
    tables = {tuple(t["dimensions"]): {tuple(c["key"]): c for c in t["cells"]} for t in entry["tables"]}
    assert tables[("area",)][("Montréal",)]["value"] == 13  # the organisations' districts added up
    street = tables[(helpers.PLACE,)][("STREET",)]
    assert street["suppressed"] and street["value"] is None  # 2 < threshold 5
    with pytest.raises(ValidationError, match="already consolidated"):
        actions.consolidate(
            network=net, report_code=helpers.REPORT, period_code=month.code, acting_user=None, at=at
        )

    moves = list(
        SubmissionTransition.objects.filter(submission=ours_draft).values_list("from_status", "to_status")
    )
    assert moves == [("", "DRAFT"), ("DRAFT", "APPROVED"), ("APPROVED", "CONSOLIDATED")]
    assert set(Submission.objects.filter(network=net).values_list("status", flat=True)) == {"CONSOLIDATED"}
    logged = set(AuditEntry.objects.filter(org=member_org).values_list("action", flat=True))
    assert {
        "sharing_member.accept",
        "sharing_submission.approve",
        "sharing_submission.consolidated",
    } <= logged

    # The member's administrator reads it as a page: a count of contributors, no organisation named.
    page = world.client_for(world.outsider).get(f"/reports/sharing/consolidated/{result.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Figures of 3 organisations" in html and "hidden (small figure)" in html and "Montréal" in html
    assert (
        home.name not in html
    )  # the other contributor is not named (the reader's own org is, in the header)
    review = world.client_for(world.members[Role.DATA_OFFICER]).get(
        f"/reports/sharing/submissions/{ours_draft.pk}/"
    )
    assert review.status_code == 200 and "Incidents (sharing test)" in review.content.decode()

    # Each member reads the consolidated report; a third organisation and other roles do not.
    third = make_org("third", at=at)
    assert ConsolidatedReport.objects.visible_to(helpers.acting(world.outsider)).get() == result
    assert (
        ConsolidatedReport.objects.visible_to(helpers.acting(world.members[Role.DATA_OFFICER])).get()
        == result
    )
    assert not ConsolidatedReport.objects.visible_to(helpers.acting(world.members[Role.CASEWORKER])).exists()
    assert not Network.objects.visible_to(helpers.acting(world.members[Role.CASEWORKER])).exists()
    assert not Submission.objects.visible_to(helpers.acting(world.outsider)).filter(org=home).exists()
    outsider = helpers.acting(make_member(third, Role.DATA_OFFICER, username="third.do", at=at))
    assert not ConsolidatedReport.objects.visible_to(outsider).exists()
    assert not Network.objects.visible_to(outsider).exists()
    assert not NetworkMember.objects.visible_to(outsider).exists()


def test_it_refuses_late_approvals_unfinished_months_and_other_calendars(world: World) -> None:
    month = helpers.last_month()
    net = helpers.network(world.org, deadline_day=10)
    at = timezone.now()
    draft = actions.prepare_submission(
        network=net,
        org=world.org,
        report_code=helpers.REPORT,
        period_code=month.code,
        acting_user=None,
        at=at,
    )
    late = timezone.make_aware(datetime.combine(month.end.replace(day=11), time.min))
    with pytest.raises(ValidationError, match="deadline"):
        actions.approve_submission(submission=draft, acting_user=None, at=late + timedelta(hours=12))
    assert Submission.objects.get(pk=draft.pk).status == Submission.Status.DRAFT
    on_time = late - timedelta(days=1)
    assert actions.approve_submission(submission=draft, acting_user=None, at=on_time).status == "APPROVED"
    this_month = f"{timezone.localdate():%Y-%m}"
    for code, message in (
        (this_month, "not over"),
        ("SH1403-05", "monthly"),
        ("2025-13", "month"),
        ("2025", "monthly"),
    ):
        with pytest.raises(ValidationError, match=message):
            actions.prepare_submission(
                network=net,
                org=world.org,
                report_code=helpers.REPORT,
                period_code=code,
                acting_user=None,
                at=at,
            )
    with pytest.raises(ValidationError, match="no report"):
        actions.prepare_submission(
            network=net, org=world.org, report_code="nope", period_code=month.code, acting_user=None, at=at
        )
    with pytest.raises(ValidationError, match="No member has approved"):
        actions.consolidate(
            network=net, report_code=helpers.REPORT, period_code="2020-01", acting_user=None, at=at
        )
    assert actions.deadline(net, actions.sharing_month("2025-01")).isoformat() == "2025-02-10"
    assert (
        actions.deadline(Network(deadline_day=31), actions.sharing_month("2025-01")).isoformat()
        == "2025-02-28"
    )


def test_only_reports_counted_with_consent_are_shared_and_never_below_the_installation_threshold(
    world: World,
) -> None:
    with pytest.raises(ValidationError, match="from 5 to 100"):
        helpers.network(world.org, threshold=2)
    net = helpers.network(world.org, threshold=7)
    assert net.threshold == 7
    # The One Stop Centre report counts every woman assisted, whatever she agreed: it stays home.
    with pytest.raises(ValidationError, match="did not agree to be counted outside"):
        actions.prepare_submission(
            network=net,
            org=world.org,
            report_code="osc",
            period_code=helpers.last_month().code,
            acting_user=None,
            at=timezone.now(),
        )
    assert "osc" not in dict(report_choices()) and "gbvims" in dict(report_choices())
