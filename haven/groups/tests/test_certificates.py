"""Courses: enrol, exam, certificate. A certificate goes only to a participant who was enrolled and
passed; its number is unique in the organisation; the PDF is in her language and its printing audited."""

from __future__ import annotations

from django.urls import reverse

from haven.conftest import World
from haven.groups.models import Certificate, Enrolment
from haven.groups.tests.conftest import Family, api, counts, errors, make_activity
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def test_it_certifies_only_those_enrolled_who_passed(world: World, family: Family) -> None:
    training = make_activity(
        world,
        "GENDER_DIGITAL_RIGHTS",
        title="Gender and digital rights",
        audience="WOMEN_AND_GIRLS",
        language="ru",
        pass_mark=60,
    )
    worker = world.members[Role.COUNSELLOR]
    path = f"/groups/activities/{training.pk}"
    enrolled = {}
    for person in (family.mother, family.daughter, family.neighbour):
        response = api(world, worker, "POST", f"{path}/enrolments", {"person_id": str(person.pk)})
        assert response.status_code == 201
        enrolled[person.pk] = response.json()["id"]
    assert (
        api(world, worker, "POST", f"{path}/enrolments", {"person_id": str(family.mother.pk)}).status_code
        == 422
    )

    assert (
        api(
            world, worker, "POST", f"/groups/enrolments/{enrolled[family.mother.pk]}/exam", {"score": 75}
        ).json()["passed"]
        is True
    )
    assert (
        api(
            world, worker, "POST", f"/groups/enrolments/{enrolled[family.daughter.pk]}/exam", {"score": 59}
        ).json()["passed"]
        is False
    )
    assert (
        api(
            world, worker, "POST", f"/groups/enrolments/{enrolled[family.mother.pk]}/exam", {"score": 101}
        ).status_code
        == 422
    )
    before = counts()

    refusals = {
        family.son.pk: "not enrolled",
        family.daughter.pk: "did not pass",
        family.neighbour.pk: "not sat the exam",
    }
    for person_id, reason in refusals.items():
        response = api(world, worker, "POST", f"{path}/certificates", {"person_id": str(person_id)})
        assert response.status_code == 422 and reason in errors(response), errors(response)
    assert counts() == before

    issued = api(world, worker, "POST", f"{path}/certificates", {"person_id": str(family.mother.pk)})
    assert issued.status_code == 201
    assert issued.json()["number"].endswith("-0001") and issued.json()["language"] == "ru"
    again = api(world, worker, "POST", f"{path}/certificates", {"person_id": str(family.mother.pk)})
    assert again.status_code == 422 and "already has a certificate" in errors(again)
    locked = api(
        world, worker, "POST", f"/groups/enrolments/{enrolled[family.mother.pk]}/exam", {"score": 10}
    )
    assert locked.status_code == 422


def test_numbers_are_unique_and_the_pdf_is_audited(world: World, family: Family) -> None:
    worker = world.members[Role.CASEWORKER]
    client = world.client_for(worker)
    numbers = []
    for title in ("Couture", "Informatique"):
        training = make_activity(world, "VOCATIONAL_TRAINING", title=title, audience="WOMEN")
        found = client.post(reverse("groups:activity_find", args=[training.pk]), {"query": "Nadia Testwoman"})
        assert (
            f"add-{family.mother.survivor_code}" in found.content.decode()
            and "Enrol" in found.content.decode()
        )
        client.post(reverse("groups:enrol", args=[training.pk]), {"person": family.mother.pk})
        enrolment = Enrolment.objects.get(activity=training)
        client.post(reverse("groups:exam", args=[enrolment.pk]), {"score": "80"})
        client.post(reverse("groups:certificate_issue", args=[enrolment.pk]), {"language": "fr"})
        numbers.append(Certificate.objects.get(enrolment=enrolment).number)
    assert len(set(numbers)) == 2 and numbers[1].endswith("-0002")

    certificate = Certificate.objects.get(number=numbers[0])
    response = client.get(reverse("groups:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="group_certificate.print", object_id=str(certificate.pk)).exists()


def test_only_trainings_have_enrolment(world: World, family: Family) -> None:
    outing = make_activity(world, "OUTING", title="Sortie au parc", audience="RESIDENTS")
    response = api(
        world,
        world.members[Role.CASEWORKER],
        "POST",
        f"/groups/activities/{outing.pk}/enrolments",
        {"person_id": str(family.mother.pk)},
    )
    assert response.status_code == 422 and "Only trainings" in errors(response)
