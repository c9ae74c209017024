"""Two submits adding the same in-house lawyer at once: the second is told she is on the panel already."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from haven.conftest import World
from haven.legal import actions
from haven.legal.models import Advocate
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def test_a_second_submit_that_passed_the_checks_is_refused_not_a_server_error(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    lawyer = world.members[Role.LAWYER]
    actions.add_advocate(
        org=world.org, kind=Advocate.Kind.IN_HOUSE, membership=lawyer, acting_user=None, at=world.at
    )
    # The second submit checked before the first one committed: its checks found no advocate for her.
    monkeypatch.setattr(actions, "_in_house_name", lambda membership, org: "Synthetic Lawyer")
    monkeypatch.setattr(Advocate, "full_clean", lambda self: None)

    with pytest.raises(ValidationError) as refused:
        actions.add_advocate(
            org=world.org, kind=Advocate.Kind.IN_HOUSE, membership=lawyer, acting_user=None, at=world.at
        )

    assert refused.value.message_dict == {"membership": ["This lawyer is already on the panel."]}
    assert Advocate.objects.filter(membership=lawyer).count() == 1
    assert AuditEntry.objects.filter(action=actions.ADVOCATE_CHANGE).count() == 1
