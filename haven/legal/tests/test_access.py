"""Who sees a legal file: whoever may see the case, plus the lawyer assigned; every reading is audited;
roles that do not work with survivors, workers off the case and other organisations see nothing."""

from __future__ import annotations

from django.urls import reverse

from haven.legal.tests.conftest import Legal, api, new_case, open_matter
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry

NON_SURVIVOR_ROLES = (
    Role.PROGRAMME_OFFICER,
    Role.DATA_OFFICER,
    Role.COMPUTER_OPERATOR,
    Role.PERPETRATOR_WORKER,
    Role.FUNDRAISER,
)


def test_it_audits_every_reading_of_a_matter(legal: Legal) -> None:
    matter = open_matter(legal.case, legal.at)
    caseworker = legal.world.members[Role.CASEWORKER]
    assert (
        legal.world.client_for(caseworker).get(reverse("legal:matter", args=[matter.pk])).status_code == 200
    )
    assert (
        api(legal.world, caseworker, "GET", f"/matters/{matter.pk}").json()["opposing_party_name"]
        == "Karim Opponent"
    )
    entries = AuditEntry.objects.filter(action="legal.view", object_id=str(matter.pk))
    assert entries.count() == 2 and set(entries.values_list("actor_id", flat=True)) == {caseworker.user_id}


def test_it_shows_the_matter_to_its_lawyer_off_the_case_and_hides_it_from_others(legal: Legal) -> None:
    case = new_case(legal.world, lawyer_on_team=False)
    matter = open_matter(case, legal.at)
    lawyer = legal.world.client_for(legal.lawyer)
    url = reverse("legal:matter", args=[matter.pk])
    assert lawyer.get(url).status_code == 404
    matter.advocate = legal.in_house
    matter.save(update_fields=["advocate"])
    assert lawyer.get(url).status_code == 200
    assert (
        lawyer.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    )  # the case stays hers to ask for
    counsellor = legal.world.members[Role.COUNSELLOR]  # not on the case
    assert legal.world.client_for(counsellor).get(url).status_code == 404
    outsider = legal.world.client_for(legal.world.outsider)
    assert outsider.get(url).status_code in {403, 404}


def test_it_refuses_roles_that_do_not_work_with_survivors(legal: Legal) -> None:
    matter = open_matter(legal.case, legal.at)
    for role in NON_SURVIVOR_ROLES:
        member = legal.world.members[role]
        assert (
            legal.world.client_for(member).get(reverse("legal:matter", args=[matter.pk])).status_code == 403
        )
        assert api(legal.world, member, "GET", f"/matters/{matter.pk}").status_code == 403
        assert api(legal.world, member, "GET", f"/cases/{legal.case.pk}/matters").status_code == 403
        assert legal.world.client_for(member).get(reverse("legal:matters")).status_code == 403
    assert not AuditEntry.objects.filter(action="legal.view").exists()


def test_it_lets_caseworkers_open_and_read_but_not_work_matters(legal: Legal) -> None:
    caseworker = legal.world.members[Role.CASEWORKER]
    opened = api(legal.world, caseworker, "POST", f"/cases/{legal.case.pk}/matters", {"kind": "MAINTENANCE"})
    assert opened.status_code == 201
    matter_id = opened.json()["id"]
    moved = api(legal.world, caseworker, "POST", f"/matters/{matter_id}/transition", {"verb": "file"})
    assert moved.status_code == 403
    page = legal.world.client_for(caseworker).get(reverse("legal:matter", args=[matter_id])).content.decode()
    assert reverse("legal:hearing_create", args=[matter_id]) not in page
