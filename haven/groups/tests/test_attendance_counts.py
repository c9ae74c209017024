"""Who came: known persons (women and children from People) and anonymous participants, counted by
sex, age group and, for professionals, institution; and the figures of a period."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.groups import actions
from haven.groups.models import Attendance
from haven.groups.queries import participation_figures
from haven.groups.tests.conftest import Family, api, make_activity, make_session, present
from haven.orgs.roles import Role


def test_it_counts_known_and_anonymous_participants_by_sex_and_age(world: World, family: Family) -> None:
    session = make_session(make_activity(world))
    present(session, family.daughter, family.son)
    actions.record_attendance(
        session=session, person=family.mother, status="EXCUSED", acting_user=None, at=world.at
    )
    worker = world.members[Role.CHILD_EDUCATOR]
    body = {
        "counts": [
            {"sex": "FEMALE", "age_group": "0_11", "count": 4},
            {"sex": "MALE", "age_group": "0_11", "count": 3},
        ]
    }
    response = api(world, worker, "PUT", f"/groups/sessions/{session.pk}/anonymous-counts", body)
    assert response.status_code == 200, response.content
    detail = response.json()
    assert (detail["present"], detail["excused"], detail["anonymous"], detail["total"]) == (2, 1, 7, 9)

    # Setting a cell again replaces it; 0 clears it.
    body = {
        "counts": [
            {"sex": "MALE", "age_group": "0_11", "count": 0},
            {"sex": "FEMALE", "age_group": "0_11", "count": 5},
        ]
    }
    assert (
        api(world, worker, "PUT", f"/groups/sessions/{session.pk}/anonymous-counts", body).json()["anonymous"]
        == 5
    )

    rows = {(r.person_id, r.sex, r.age_group) for r in Attendance.objects.filter(status="PRESENT")}
    assert rows == {(family.daughter.pk, "FEMALE", "0_11"), (family.son.pk, "MALE", "12_17")}

    figures = participation_figures(world.org, timezone.localdate() - timedelta(days=7), timezone.localdate())
    by_sex = {row.key: (row.known, row.anonymous) for row in figures.by_sex}
    by_age = {row.key: (row.known, row.anonymous) for row in figures.by_age_group}
    assert by_sex["FEMALE"] == (1, 5) and by_sex["MALE"] == (1, 0)
    assert by_age["0_11"] == (1, 5) and by_age["12_17"] == (1, 0)
    assert [(row.key, row.sessions, row.total) for row in figures.by_kind] == [("CHILDRENS_GROUP", 1, 7)]
    assert (figures.people, figures.total) == (2, 7)


def test_it_counts_professionals_by_institution_and_only_at_their_sessions(
    world: World, family: Family
) -> None:
    police = make_session(
        make_activity(
            world, "PROFESSIONAL_AWARENESS", title="Sensibilisation police", audience="PROFESSIONALS"
        )
    )
    officer = world.members[Role.PROGRAMME_OFFICER]
    body = {
        "counts": [
            {"sex": "MALE", "age_group": "UNKNOWN", "institution": "POLICE", "count": 14},
            {"sex": "FEMALE", "age_group": "UNKNOWN", "institution": "POLICE", "count": 6},
            {"sex": "FEMALE", "age_group": "UNKNOWN", "institution": "LAW", "count": 3},
        ]
    }
    assert (
        api(world, officer, "PUT", f"/groups/sessions/{police.pk}/anonymous-counts", body).status_code == 200
    )

    kitchen = make_session(make_activity(world, "KITCHEN_MEETING", audience="RESIDENTS"))
    refused = api(world, officer, "PUT", f"/groups/sessions/{kitchen.pk}/anonymous-counts", body)
    assert refused.status_code == 422
    assert "professionals only" in refused.content.decode()

    figures = api(world, world.members[Role.DATA_OFFICER], "GET", "/groups/figures").json()
    institutions = {row["key"]: row["anonymous"] for row in figures["by_institution"]}
    assert institutions == {"POLICE": 20, "LAW": 3}
    assert {row["key"]: row["total"] for row in figures["by_sex"]} == {"FEMALE": 9, "MALE": 14, "OTHER": 0}


def test_the_session_page_marks_a_child_found_by_code(world: World, family: Family) -> None:
    session = make_session(make_activity(world, "HOMEWORK_HELP"))
    client = world.client_for(world.members[Role.CHILD_EDUCATOR])
    found = client.post(
        reverse("groups:session_find", args=[session.pk]), {"query": family.son.survivor_code}
    )
    assert found.status_code == 200
    assert f"add-{family.son.survivor_code}" in found.content.decode()
    marked = client.post(
        reverse("groups:attendance", args=[session.pk]), {"person": family.son.pk, "status": "PRESENT"}
    )
    assert marked.status_code == 302
    page = client.get(reverse("groups:session", args=[session.pk])).content.decode()
    assert "Omar Testchild" in page and "1 present" in page
