"""Recording an incident: GBVIMS classification stored from gbvims, narrative encrypted, dates checked."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from haven.accounts.models import User
from haven.cases import actions
from haven.cases.gbvims import CaseContext, DelayBucket, ViolenceType
from haven.cases.models import AllegedPerpetrator, Case, Incident
from haven.conftest import World, make_org
from haven.orgs import actions as org_actions
from haven.orgs.models import Area
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.privacy.models import AuditEntry


def _caseworker(world: World) -> User:
    member = world.members[Role.CASEWORKER]
    member.user.active_membership = member
    return member.user


def _case(world: World) -> Case:
    survivor = register_person(org=world.org, name="Rina D.", acting_user=None, at=world.at)
    case = actions.open_case(
        survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=_caseworker(world), at=world.at
    )
    return actions.activate_case(case=case, acting_user=_caseworker(world), at=world.at)


def _record(world: World, case: Case, **fields: Any) -> Incident:
    today = timezone.localdate(world.at)
    defaults: dict[str, Any] = {
        "occurred_on": today - timedelta(days=2),
        "reported_on": today,
        "place_type": Incident.PlaceType.HOME,
    }
    return actions.record_incident(
        case=case, acting_user=_caseworker(world), at=world.at, **{**defaults, **fields}
    )


def test_it_stores_the_gbvims_classification(world: World) -> None:
    incident = _record(world, _case(world), penetration=True, physical_violence=True)
    stored = Incident.objects.get(pk=incident.pk)
    assert stored.violence_type == ViolenceType.RAPE
    assert stored.classification_rule == "1-rape"
    assert stored.delay_bucket == DelayBucket.DAYS_0_3
    assert stored.contexts == []


def test_it_stores_the_contexts_of_intimate_partner_violence(world: World) -> None:
    incident = _record(
        world,
        _case(world),
        physical_violence=True,
        psychological_abuse=True,
        perpetrator_is_intimate_partner=True,
        occurred_on=timezone.localdate(world.at) - timedelta(days=40),
    )
    stored = Incident.objects.get(pk=incident.pk)
    assert stored.violence_type == ViolenceType.PHYSICAL_ASSAULT
    assert stored.classification_rule == "3-physical-assault"
    assert stored.contexts == [CaseContext.INTIMATE_PARTNER_VIOLENCE.value]
    assert stored.delay_bucket == DelayBucket.OVER_1_MONTH


def test_it_records_several_contexts_for_a_child(world: World) -> None:
    incident = _record(
        world,
        _case(world),
        sexual_contact_without_penetration=True,
        forced_marriage=True,
        survivor_age_at_incident=15,
        occurred_on=timezone.localdate(world.at) - timedelta(days=10),
    )
    assert incident.violence_type == ViolenceType.SEXUAL_ASSAULT
    assert incident.contexts == sorted(
        [CaseContext.CHILD_SEXUAL_ABUSE.value, CaseContext.EARLY_MARRIAGE.value]
    )
    assert incident.delay_bucket == DelayBucket.DAYS_6_14


def test_it_classifies_a_non_gender_based_act_as_non_gbv(world: World) -> None:
    incident = _record(world, _case(world), physical_violence=True, was_gbv=False)
    assert (incident.violence_type, incident.classification_rule) == (
        ViolenceType.NON_GBV,
        "7-not-gender-based",
    )


def test_it_keeps_the_narrative_out_of_the_table(world: World) -> None:
    incident = _record(world, _case(world), narrative="He locked her in the storeroom at Kalabagan.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_incident")
        rows = repr(cursor.fetchall())
    assert "storeroom" not in rows and "Kalabagan" not in rows
    assert Incident.objects.get(pk=incident.pk).narrative == "He locked her in the storeroom at Kalabagan."


def test_it_audits_field_names_only(world: World) -> None:
    incident = _record(world, _case(world), narrative="Secret words.", penetration=True)
    entry = AuditEntry.objects.get(action="incident.record", object_id=str(incident.pk))
    assert "narrative" in entry.fields and "violence_type" in entry.fields
    assert "Secret" not in repr(entry.fields) and entry.actor == _caseworker(world)


def test_it_refuses_an_incident_on_a_closed_case(world: World) -> None:
    case = _case(world)
    actions.request_closure(case=case, reason="NEEDS_MET", acting_user=_caseworker(world), at=world.at)
    manager = world.members[Role.CENTRE_MANAGER]
    manager.user.active_membership = manager
    actions.approve_closure(case=case, acting_user=manager.user, at=world.at)
    with pytest.raises(actions.CaseStateError, match="Closed"):
        _record(world, case, penetration=True)
    assert not Incident.objects.filter(case=case).exists()
    assert not AuditEntry.objects.filter(action="incident.record").exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"occurred_on": date(2100, 1, 1), "reported_on": date(2100, 1, 2)}, "occurred_on"),
        ({"reported_on": date(2100, 1, 2)}, "reported_on"),
        ({"occurred_on": date(2024, 3, 5), "reported_on": date(2024, 3, 4)}, "occurred_on"),
        ({"place_type": "MOON"}, "place_type"),
        ({"time_of_day": "NOON"}, "time_of_day"),
        ({"survivor_age_at_incident": -1}, "survivor_age_at_incident"),
        ({"perpetrator_name": "X"}, "perpetrator_name"),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(world: World, fields: dict[str, Any], field: str) -> None:
    case = _case(world)
    with pytest.raises(ValidationError) as refused:
        _record(world, case, **fields)
    assert field in refused.value.message_dict
    assert not Incident.objects.exists()
    assert not AuditEntry.objects.filter(action="incident.record").exists()


def test_it_refuses_an_area_of_another_organisation(world: World) -> None:
    other = make_org("third", at=world.at)
    foreign = org_actions.create_area(
        org=other, name="Elsewhere", level=Area.Level.COUNTRY, acting_user=None, at=world.at
    )
    with pytest.raises(ValidationError) as refused:
        _record(world, _case(world), area=foreign)
    assert "area" in refused.value.message_dict
    assert _record(world, _case(world), area=world.district).area == world.district


def test_it_describes_a_perpetrator_without_a_name(world: World) -> None:
    incident = _record(world, _case(world), physical_violence=True, perpetrator_is_intimate_partner=True)
    perpetrator = actions.add_alleged_perpetrator(
        incident=incident,
        acting_user=_caseworker(world),
        at=world.at,
        relationship=AllegedPerpetrator.Relationship.INTIMATE_PARTNER,
        sex=AllegedPerpetrator.Sex.MALE,
        age_group=AllegedPerpetrator.AgeGroup.AGE_26_40,
        lives_with_survivor=True,
        has_weapon_access=False,
    )
    assert perpetrator.prior_violence is None
    assert not {"name", "first_name", "last_name"} & {f.name for f in AllegedPerpetrator._meta.fields}
    with pytest.raises(ValidationError):
        actions.add_alleged_perpetrator(incident=incident, acting_user=None, at=world.at, name="Karim")


def test_it_shows_incidents_only_to_those_who_see_the_case(world: World) -> None:
    incident = _record(world, _case(world), penetration=True)
    assert list(Incident.objects.visible_to(_caseworker(world))) == [incident]
    counsellor = world.members[Role.COUNSELLOR]
    counsellor.user.active_membership = counsellor
    assert not Incident.objects.visible_to(counsellor.user).exists()
