"""The roles kept apart from survivor data never export a report, even one that names them as readers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from haven.conftest import World
from haven.orgs.roles import ALL_ROLES, KEPT_APART_ROLES, Role
from haven.reports import indicators
from haven.reports.exports.params import readable_report


def test_a_report_naming_every_role_is_still_refused_to_the_roles_kept_apart(world: World) -> None:
    everyone = indicators.Report(
        "test.everyone", gettext_lazy("Everyone"), gettext_lazy("Everyone"), (), frozenset(ALL_ROLES)
    )
    indicators.REPORTS[everyone.code] = everyone
    try:
        assert readable_report(everyone.code, world.members[Role.DATA_OFFICER]) is everyone
        for role in KEPT_APART_ROLES:
            with pytest.raises(ValidationError, match="There is no report"):
                readable_report(everyone.code, world.members[role])
    finally:
        del indicators.REPORTS[everyone.code]
