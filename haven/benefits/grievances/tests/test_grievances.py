"""Grievances: lodged anonymously with a tracking code, due by their category's deadline, assigned,
decided, appealed once and decided by an approver; the overdue list and the figures; the public pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from haven.benefits.grievances import actions, queries
from haven.benefits.grievances.models import Grievance, GrievanceTransition
from haven.conftest import World
from haven.orgs.roles import Role


def _lodge(
    world: World, category: str = "PAYMENT_NOT_RECEIVED", days_ago: int = 0, **extra: Any
) -> tuple[Grievance, str]:
    return actions.lodge_grievance(
        org=world.org,
        category=category,
        description="My allowance did not come in March.",
        channel="OFFICER",
        acting_user=None,
        at=timezone.now() - timedelta(days=days_ago),
        **extra,
    )


def test_an_anonymous_grievance_gets_a_code_and_a_deadline_by_category(world: World) -> None:
    grievance, code = _lodge(world)
    assert grievance.is_anonymous
    assert grievance.due_on == timezone.localdate() + timedelta(days=7)
    assert code not in grievance.tracking_digest
    assert actions.find_by_code(world.org, code.lower().replace("-", " ")) == grievance
    assert actions.find_by_code(world.other_org, code) is None
    stored = Grievance.objects.filter(pk=grievance.pk).values_list("description", flat=True).get()
    assert "March" not in str(getattr(stored, "token", stored))


def test_the_whole_course_with_one_appeal_decided_by_an_approver(world: World) -> None:
    officer = world.members[Role.PROGRAMME_OFFICER]
    operator = world.members[Role.COMPUTER_OPERATOR]
    grievance, _code = _lodge(world, complainant_name="Rokeya Khatun")
    grievance = actions.assign_grievance(
        grievance=grievance, assignee=operator, acting_user=None, at=timezone.now()
    )
    grievance = actions.decide_grievance(
        grievance=grievance,
        outcome="NOT_UPHELD",
        reasons="Paid on 5 March",
        acting_user=operator.user,
        at=timezone.now(),
    )
    grievance = actions.appeal_grievance(
        grievance=grievance, grounds="The wallet shows nothing", acting_user=None, at=timezone.now()
    )
    operator.user.active_membership = operator
    with pytest.raises(ValidationError, match="programme officer"):
        actions.decide_appeal(
            grievance=grievance, outcome="UPHELD", reasons="x", acting_user=operator.user, at=timezone.now()
        )
    officer.user.active_membership = officer
    closed = actions.decide_appeal(
        grievance=grievance,
        outcome="UPHELD",
        reasons="Payment failed; resent",
        acting_user=officer.user,
        at=timezone.now(),
    )
    assert closed.status == Grievance.Status.CLOSED and closed.appeal_outcome == "UPHELD"
    steps = list(GrievanceTransition.objects.filter(grievance=grievance).values_list("to_status", flat=True))
    assert steps == ["RECEIVED", "IN_REVIEW", "DECIDED", "APPEALED", "CLOSED"]
    with pytest.raises(ValidationError, match="cannot be done now"):
        actions.appeal_grievance(grievance=closed, grounds="again", acting_user=None, at=timezone.now())


def test_it_refuses_bad_input(world: World) -> None:
    with pytest.raises(ValidationError, match="Choose what"):
        _lodge(world, category="NOPE")
    grievance, _code = _lodge(world)
    with pytest.raises(ValidationError, match="programme staff"):
        actions.assign_grievance(
            grievance=grievance, assignee=world.members[Role.LAWYER], acting_user=None, at=timezone.now()
        )
    with pytest.raises(ValidationError, match="required"):
        actions.decide_grievance(
            grievance=grievance, outcome="UPHELD", reasons="  ", acting_user=None, at=timezone.now()
        )
    assert Grievance.objects.count() == 1


def test_overdue_list_and_on_time_rate(world: World) -> None:
    late, _ = _lodge(world, days_ago=10)
    on_time, _ = _lodge(world, days_ago=1)
    _lodge(world, category="CORRUPTION", days_ago=10)
    actions.decide_grievance(
        grievance=on_time, outcome="UPHELD", reasons="Resent", acting_user=None, at=timezone.now()
    )
    admin = world.persona_admin
    admin.active_membership = world.members[Role.ORG_ADMIN]
    assert list(queries.overdue(admin, timezone.localdate())) == [late]
    rows = {row["category"]: row for row in queries.by_category(admin)}
    assert rows["PAYMENT_NOT_RECEIVED"]["total"] == 2 and rows["PAYMENT_NOT_RECEIVED"]["on_time_rate"] == 1.0
    assert rows["CORRUPTION"]["on_time_rate"] is None


def test_the_public_page_takes_an_anonymous_complaint_and_shows_its_status(world: World) -> None:
    cache.clear()
    client = world.client_for(None)
    url = reverse("grievances:public", args=[world.org.slug])
    response = client.post(url, {"category": "CORRUPTION", "description": "The dealer asked for 200 taka."})
    assert response.status_code == 200
    code = response.context["code"]
    assert Grievance.objects.get().channel == "PUBLIC"
    track = client.post(reverse("grievances:public_track", args=[world.org.slug]), {"code": code})
    assert track.context["found"].category == "CORRUPTION"
    assert "200 taka" not in track.content.decode()
    wrong = client.post(reverse("grievances:public_track", args=[world.org.slug]), {"code": "AAAAA-BBBBB"})
    assert wrong.status_code == 404


def test_the_public_page_drops_robots_and_slows_floods(world: World) -> None:
    cache.clear()
    client = world.client_for(None)
    url = reverse("grievances:public", args=[world.org.slug])
    robot = client.post(url, {"category": "OTHER", "description": "spam", "website": "http://spam.example"})
    assert robot.status_code == 200 and not Grievance.objects.exists()
    for _attempt in range(10):
        client.post(url, {"category": "OTHER", "description": "again"})
    assert client.post(url, {"category": "OTHER", "description": "again"}).status_code == 429
    assert Grievance.objects.count() == 10


def test_staff_pages_and_query_count(world: World, django_assert_max_num_queries: object) -> None:
    for days in range(5):
        _lodge(world, days_ago=days)
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(reverse("grievances:list")).status_code == 200
    grievance = Grievance.objects.first()
    assert grievance is not None
    response = client.post(
        reverse("grievances:decide", args=[grievance.pk]), {"outcome": "UPHELD", "reasons": "ok"}
    )
    assert response.status_code == 302
    assert Grievance.objects.get(pk=grievance.pk).status == "DECIDED"
    assert client.get(reverse("grievances:detail", args=[grievance.pk])).status_code == 200
