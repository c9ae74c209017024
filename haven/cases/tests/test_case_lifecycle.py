"""A case's life: opened, active, closure asked and decided by another manager, closed, reopened."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from haven.accounts.models import User
from haven.cases import actions
from haven.cases.models import Case, CaseAssignment, CaseTransition
from haven.conftest import World
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.privacy.models import AuditEntry

Status = Case.Status


def _as(world: World, role: Role) -> User:
    member = world.members[role]
    member.user.active_membership = member
    return member.user


def _open(world: World) -> Case:
    survivor = register_person(org=world.org, name="Amina K.", acting_user=None, at=world.at)
    return actions.open_case(
        survivor=survivor,
        lead=world.members[Role.CASEWORKER],
        acting_user=_as(world, Role.CASEWORKER),
        at=world.at,
    )


def _active(world: World) -> Case:
    case = _open(world)
    return actions.activate_case(case=case, acting_user=_as(world, Role.CASEWORKER), at=world.at)


def _closure_requested(world: World) -> Case:
    case = _active(world)
    return actions.request_closure(
        case=case, reason=Case.ClosureReason.NEEDS_MET, acting_user=_as(world, Role.CASEWORKER), at=world.at
    )


def test_it_runs_the_full_lifecycle_with_transitions_and_audit(world: World) -> None:
    caseworker, manager = _as(world, Role.CASEWORKER), _as(world, Role.CENTRE_MANAGER)
    case = _open(world)
    assert case.status == Status.OPEN
    assert CaseAssignment.objects.get(case=case).role_in_case == CaseAssignment.RoleInCase.LEAD
    steps = [
        (actions.activate_case, {}, caseworker, Status.ACTIVE),
        (actions.request_closure, {"reason": "NEEDS_MET"}, caseworker, Status.CLOSURE_REQUESTED),
        (actions.reject_closure, {"comment": "Court date pending."}, manager, Status.ACTIVE),
        (actions.request_closure, {"reason": "NEEDS_MET"}, caseworker, Status.CLOSURE_REQUESTED),
        (actions.approve_closure, {}, manager, Status.CLOSED),
        (actions.reopen_case, {}, manager, Status.REOPENED),
        (actions.activate_case, {}, caseworker, Status.ACTIVE),
    ]
    for step, (verb, extra, user, expected) in enumerate(steps, start=1):
        at = world.at + timedelta(minutes=step)
        verb(case=case, acting_user=user, at=at, **extra)  # type: ignore[operator]
        assert Case.objects.get(pk=case.pk).status == expected == case.status
        if expected == Status.CLOSED:
            assert case.closed_at == at
    assert case.closed_at is None

    transitions = list(CaseTransition.objects.filter(case=case).order_by("at"))
    assert [(t.from_status, t.to_status) for t in transitions] == [
        ("", "OPEN"),
        ("OPEN", "ACTIVE"),
        ("ACTIVE", "CLOSURE_REQUESTED"),
        ("CLOSURE_REQUESTED", "ACTIVE"),
        ("ACTIVE", "CLOSURE_REQUESTED"),
        ("CLOSURE_REQUESTED", "CLOSED"),
        ("CLOSED", "REOPENED"),
        ("REOPENED", "ACTIVE"),
    ]
    assert transitions[2].reason_code == "NEEDS_MET" and transitions[2].actor == caseworker
    assert CaseTransition.objects.get(pk=transitions[3].pk).comment == "Court date pending."

    entries = AuditEntry.objects.filter(object_id=str(case.pk)).order_by("seq")
    assert [e.action for e in entries].count("case.transition") == 7
    assert {"case.open", "case.assign"} <= {e.action for e in entries}
    closed = entries.get(reason_code="CLOSURE_REQUESTED>CLOSED")
    assert closed.actor == manager and closed.fields == ["closed_at", "status"]


@pytest.mark.parametrize(
    ("setup", "verb", "extra", "status_label"),
    [
        ("open", actions.request_closure, {"reason": "NEEDS_MET"}, "Open"),
        ("open", actions.approve_closure, {}, "Open"),
        ("open", actions.reopen_case, {}, "Open"),
        ("active", actions.activate_case, {}, "Active"),
        ("active", actions.approve_closure, {}, "Active"),
        ("active", actions.reject_closure, {"comment": "no"}, "Active"),
        ("requested", actions.request_closure, {"reason": "NEEDS_MET"}, "Closure requested"),
        ("requested", actions.activate_case, {}, "Closure requested"),
    ],
)
def test_it_refuses_a_wrong_transition_naming_the_status(
    world: World, setup: str, verb: object, extra: dict[str, str], status_label: str
) -> None:
    case = {"open": _open, "active": _active, "requested": _closure_requested}[setup](world)
    before = CaseTransition.objects.filter(case=case).count()
    with pytest.raises(actions.CaseStateError) as refused:
        verb(case=case, acting_user=_as(world, Role.CENTRE_MANAGER), at=world.at, **extra)  # type: ignore[operator]
    assert f"This case is “{status_label}”" in refused.value.messages[0]
    assert CaseTransition.objects.filter(case=case).count() == before


def test_it_refuses_to_close_twice_or_edit_a_closed_case(world: World) -> None:
    case = _closure_requested(world)
    manager = _as(world, Role.SHELTER_MANAGER)
    actions.approve_closure(case=case, acting_user=manager, at=world.at)
    with pytest.raises(actions.CaseStateError, match="Closed"):
        actions.approve_closure(case=case, acting_user=manager, at=world.at)
    with pytest.raises(actions.CaseStateError, match="Closed"):
        actions.request_closure(case=case, reason="NEEDS_MET", acting_user=manager, at=world.at)
    with pytest.raises(actions.CaseStateError, match="Closed"):
        actions.assign_worker(
            case=case,
            membership=world.members[Role.COUNSELLOR],
            role_in_case="SUPPORT",
            acting_user=manager,
            at=world.at,
        )


def test_it_requires_a_known_closure_reason(world: World) -> None:
    case = _active(world)
    with pytest.raises(ValidationError) as refused:
        actions.request_closure(
            case=case, reason="BORED", acting_user=_as(world, Role.CASEWORKER), at=world.at
        )
    assert "reason" in refused.value.message_dict
    assert Case.objects.get(pk=case.pk).status == Status.ACTIVE


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.COUNSELLOR, Role.ORG_ADMIN, Role.DATA_OFFICER])
def test_it_lets_only_a_manager_approve_a_closure(world: World, role: Role) -> None:
    case = _closure_requested(world)
    with pytest.raises(actions.CaseAuthorityError):
        actions.approve_closure(case=case, acting_user=_as(world, role), at=world.at)
    with pytest.raises(actions.CaseAuthorityError):
        actions.reject_closure(case=case, comment="Not yet.", acting_user=_as(world, role), at=world.at)
    assert Case.objects.get(pk=case.pk).status == Status.CLOSURE_REQUESTED


def test_it_refuses_an_outsider_decision(world: World) -> None:
    case = _closure_requested(world)
    outsider = world.outsider.user
    outsider.active_membership = world.outsider
    with pytest.raises(actions.CaseAuthorityError):
        actions.approve_closure(case=case, acting_user=outsider, at=world.at)


def test_it_refuses_a_manager_approving_her_own_request(world: World) -> None:
    case = _active(world)
    manager = _as(world, Role.CENTRE_MANAGER)
    actions.request_closure(case=case, reason="REFERRED_ON", acting_user=manager, at=world.at)
    with pytest.raises(actions.CaseAuthorityError, match="asked for this closure yourself"):
        actions.approve_closure(case=case, acting_user=manager, at=world.at)
    actions.approve_closure(case=case, acting_user=_as(world, Role.SHELTER_MANAGER), at=world.at)
    assert case.status == Status.CLOSED


def test_it_wants_a_comment_to_refuse_a_closure(world: World) -> None:
    case = _closure_requested(world)
    with pytest.raises(ValidationError) as refused:
        actions.reject_closure(
            case=case, comment="  ", acting_user=_as(world, Role.CENTRE_MANAGER), at=world.at
        )
    assert "comment" in refused.value.message_dict


def test_it_keeps_one_active_assignment_per_worker_and_one_lead(world: World) -> None:
    case = _open(world)
    manager = _as(world, Role.CENTRE_MANAGER)
    counsellor = world.members[Role.COUNSELLOR]
    actions.assign_worker(
        case=case, membership=counsellor, role_in_case="SUPPORT", acting_user=manager, at=world.at
    )
    with pytest.raises(ValidationError):
        actions.assign_worker(
            case=case, membership=counsellor, role_in_case="SUPPORT", acting_user=manager, at=world.at
        )
    with pytest.raises(ValidationError):
        actions.assign_worker(
            case=case,
            membership=world.members[Role.LAWYER],
            role_in_case="LEAD",
            acting_user=manager,
            at=world.at,
        )
    with pytest.raises(ValidationError):
        actions.assign_worker(
            case=case,
            membership=world.members[Role.DATA_OFFICER],
            role_in_case="SUPPORT",
            acting_user=manager,
            at=world.at,
        )
    with pytest.raises(ValidationError):
        actions.assign_worker(
            case=case, membership=world.outsider, role_in_case="SUPPORT", acting_user=manager, at=world.at
        )
    assert case.assignments.filter(ended_at__isnull=True).count() == 2


# --- who sees the file ---------------------------------------------------------------------------


def test_it_shows_the_case_to_its_workers_and_managers_only(world: World) -> None:
    case = _open(world)
    _open(world)  # another caseworker's... the same caseworker leads it, but it is a different file
    for role, sees in [
        (Role.CASEWORKER, True),
        (Role.CENTRE_MANAGER, True),
        (Role.SHELTER_MANAGER, True),
        (Role.COUNSELLOR, False),
        (Role.LAWYER, False),
        (Role.ORG_ADMIN, False),
        (Role.DATA_OFFICER, False),
    ]:
        user = _as(world, role)
        for action in ("view", "change"):
            assert Case.objects.visible_to(user, action).filter(pk=case.pk).exists() is sees, (role, action)
        assert not Case.objects.visible_to(user, "delete").exists()
    outsider = world.outsider.user
    outsider.active_membership = world.outsider
    assert not Case.objects.visible_to(outsider).exists()
    assert not Case.objects.visible_to(None).exists()


def test_it_follows_assignments_as_they_start_and_end(world: World) -> None:
    case = _open(world)
    counsellor = _as(world, Role.COUNSELLOR)
    assignment = actions.assign_worker(
        case=case,
        membership=world.members[Role.COUNSELLOR],
        role_in_case="SUPPORT",
        acting_user=_as(world, Role.CENTRE_MANAGER),
        at=world.at,
    )
    assert list(Case.objects.visible_to(counsellor)) == [case]
    actions.end_assignment(assignment=assignment, acting_user=None, at=world.at + timedelta(days=1))
    assert not Case.objects.visible_to(counsellor).exists()
    assert AuditEntry.objects.filter(action="case.assign", object_id=str(case.pk)).count() == 3


def test_it_hides_the_case_from_a_deactivated_membership(world: World) -> None:
    case = _open(world)
    caseworker = _as(world, Role.CASEWORKER)
    world.members[Role.CASEWORKER].is_active = False
    assert not Case.objects.visible_to(caseworker).filter(pk=case.pk).exists()
