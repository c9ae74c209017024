"""How the grading committee scores an association, and which grade a total gives.

The criteria follow what DWA's district offices look at when they grade associations: how the
association is run, its accounts, its activities for women, its membership and its meetings. Each has a
maximum; the total is out of 100. A, B and C are given from fixed thresholds, so the same scores always
give the same grade and the grade can be checked from the recorded scores.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.associations.models import Grade


@dataclass(frozen=True)
class Criterion:
    code: str
    label: Promise
    maximum: int


CRITERIA: tuple[Criterion, ...] = (
    Criterion("governance", _("Governance: constitution followed, elections held"), 20),
    Criterion("accounts", _("Accounts kept and audited"), 20),
    Criterion("activities", _("Activities for women in the last year"), 30),
    Criterion("membership", _("Membership and participation"), 15),
    Criterion("meetings", _("Meetings held and minuted"), 15),
)
GRADE_A_FROM = 75
GRADE_B_FROM = 50
QUORUM = 3
"""A grading needs at least three committee members present."""


def grade_for(total: int) -> str:
    if total >= GRADE_A_FROM:
        return Grade.A.value
    if total >= GRADE_B_FROM:
        return Grade.B.value
    return Grade.C.value
