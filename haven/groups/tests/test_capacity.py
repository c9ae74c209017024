"""A session's places bound known persons present and anonymous participants together: recording beyond
them is refused with the capacity and what is already counted, and nothing is written."""

from __future__ import annotations

from django.urls import reverse

from haven.conftest import World
from haven.groups.models import AnonymousCount
from haven.groups.tests.conftest import Family, api, counts, errors, make_activity, make_session, present
from haven.orgs.roles import Role


def test_it_refuses_a_known_person_beyond_the_places(world: World, family: Family) -> None:
    session = make_session(make_activity(world), capacity=3)
    present(session, family.daughter, family.son)
    caseworker = world.members[Role.CASEWORKER]
    body = {"counts": [{"sex": "FEMALE", "age_group": "18_24", "count": 1}]}
    assert (
        api(world, caseworker, "PUT", f"/groups/sessions/{session.pk}/anonymous-counts", body).status_code
        == 200
    )
    before = counts()

    response = api(
        world,
        caseworker,
        "POST",
        f"/groups/sessions/{session.pk}/attendance",
        {"person_id": str(family.mother.pk)},
    )
    assert response.status_code == 422
    message = errors(response)
    assert "3 places" in message and "3 people are already counted" in message
    assert counts() == before

    # Absent or excused takes no place.
    response = api(
        world,
        caseworker,
        "POST",
        f"/groups/sessions/{session.pk}/attendance",
        {"person_id": str(family.mother.pk), "status": "ABSENT"},
    )
    assert response.status_code == 201


def test_it_refuses_counts_beyond_the_places_and_keeps_the_old_ones(world: World, family: Family) -> None:
    session = make_session(make_activity(world), capacity=10)
    present(session, family.daughter)
    officer = world.members[Role.PROGRAMME_OFFICER]
    first = {"counts": [{"sex": "FEMALE", "age_group": "0_11", "count": 4}]}
    assert (
        api(world, officer, "PUT", f"/groups/sessions/{session.pk}/anonymous-counts", first).status_code
        == 200
    )

    too_many = {
        "counts": [
            {"sex": "FEMALE", "age_group": "0_11", "count": 2},
            {"sex": "MALE", "age_group": "0_11", "count": 9},
        ]
    }
    response = api(world, officer, "PUT", f"/groups/sessions/{session.pk}/anonymous-counts", too_many)
    assert response.status_code == 422
    assert "10 places" in errors(response) and "5 people are already counted" in errors(response)
    assert list(AnonymousCount.objects.values_list("sex", "count")) == [("FEMALE", 4)]

    # The grid page says the same next to the form, and writes nothing either.
    client = world.client_for(officer)
    page = client.post(
        reverse("groups:counts", args=[session.pk]), {"count_MALE_12_17": "7", "count_FEMALE_0_11": "4"}
    )
    assert page.status_code == 422
    assert "10 places" in page.content.decode()
    assert AnonymousCount.objects.count() == 1


def test_it_refuses_bad_counts(world: World) -> None:
    session = make_session(make_activity(world))
    officer = world.members[Role.PROGRAMME_OFFICER]
    for body in (
        {"counts": [{"sex": "FEMALE", "age_group": "0_11", "count": -1}]},
        {
            "counts": [
                {"sex": "FEMALE", "age_group": "0_11", "count": 1},
                {"sex": "FEMALE", "age_group": "0_11", "count": 2},
            ]
        },
        {"counts": [{"sex": "WOMAN", "age_group": "0_11", "count": 1}]},
    ):
        assert (
            api(world, officer, "PUT", f"/groups/sessions/{session.pk}/anonymous-counts", body).status_code
            == 422
        )
    assert AnonymousCount.objects.count() == 0
