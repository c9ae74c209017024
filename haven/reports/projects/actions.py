"""Verbs of donor projects: set a project up, set or remove a target. Each runs in one transaction,
validates, and writes its audit entry (field names only)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haven.orgs.models import Area, Organisation
from haven.orgs.validation import required_text
from haven.privacy import audit
from haven.reports.indicators import INDICATORS
from haven.reports.projects.models import Project, ProjectTarget

if TYPE_CHECKING:
    from haven.accounts.models import User

PROJECT_CREATE = audit.register_action("report_project.create", "A donor project was set up")
TARGET_SET = audit.register_action("report_project.target_set", "A donor project's target was set")
TARGET_REMOVE = audit.register_action("report_project.target_remove", "A donor project's target was removed")


def create_project(
    *,
    org: Organisation,
    name: str,
    donor: str,
    starts_on: date,
    ends_on: date,
    areas: Iterable[Area] = (),
    acting_user: User | None,
    at: datetime,
) -> Project:
    name, donor = required_text("name", name, 160), required_text("donor", donor, 160)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("A project cannot end before it starts.")})
    areas = list(areas)
    if any(area.org_id != org.pk for area in areas):
        raise ValidationError({"areas": _("This area is not one of your organisation's areas.")})
    with transaction.atomic():
        if Project.objects.filter(org=org, name=name).exists():
            raise ValidationError({"name": _("Your organisation already has a project with this name.")})
        project = Project.objects.create(
            org=org,
            name=name,
            donor=donor,
            starts_on=starts_on,
            ends_on=ends_on,
            created_at=at,
            created_by=acting_user,
        )
        project.areas.set(areas)
        audit.record(
            action=PROJECT_CREATE,
            actor=acting_user,
            org=org,
            obj=project,
            at=at,
            fields=["name", "donor", "starts_on", "ends_on", "areas"],
        )
    return project


def set_target(
    *, project: Project, indicator: str, target: Decimal, acting_user: User | None, at: datetime
) -> ProjectTarget:
    """Add the indicator to the project with its target, or change the target it has."""
    if indicator not in INDICATORS:
        raise ValidationError(
            {"indicator": _("There is no indicator “%(code)s”.") % {"code": indicator[:60]}}
        )
    if target <= 0:
        raise ValidationError({"target": _("A target is a number above zero.")})
    with transaction.atomic():
        row, _created = ProjectTarget.objects.update_or_create(
            project=project, indicator=indicator, defaults={"org_id": project.org_id, "target": target}
        )
        audit.record(
            action=TARGET_SET,
            actor=acting_user,
            org=project.org,
            obj=row,
            at=at,
            fields=["indicator", "target"],
        )
    return row


def remove_target(*, target: ProjectTarget, acting_user: User | None, at: datetime) -> None:
    with transaction.atomic():
        audit.record(action=TARGET_REMOVE, actor=acting_user, org=target.project.org, obj=target, at=at)
        target.delete()
