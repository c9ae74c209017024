"""Donor projects: set up with a period, areas and targets; progress computed from the records for the
project's own days and areas, always suppressed; the report exported through the report exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import load_workbook

from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.reports.exports.tests.helpers import INDICATOR, area, beneficiary_report, women
from haven.reports.projects.models import Project, ProjectTarget

__all__ = ["beneficiary_report"]
URL = "/reports/projects/"


def _project_body(world: World, areas: list[Any], **extra: Any) -> dict[str, Any]:
    day = world.at.date()
    return {
        "name": "Safe futures",
        "donor": "Kazakh Women's Fund",
        "starts_on": (day - timedelta(days=30)).isoformat(),
        "ends_on": (day + timedelta(days=30)).isoformat(),
        "areas": [str(item.pk) for item in areas],
        **extra,
    }


@pytest.mark.usefixtures("beneficiary_report")
def test_it_shows_and_exports_progress_against_targets(world: World) -> None:
    covered, other = area(world.org, "Almaty", world.at), area(world.org, "Shymkent", world.at)
    women(world.org, covered, 6, world.at)
    women(world.org, other, 9, world.at)  # outside the project's areas
    women(world.org, covered, 4, world.at - timedelta(days=90))  # before the project began

    data = world.client_for(world.members[Role.DATA_OFFICER])
    response = data.post(f"{URL}new/", _project_body(world, [covered]))
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{project.pk}/"
    assert (
        data.post(f"{URL}{project.pk}/targets/", {"indicator": INDICATOR, "target": "8"}).status_code == 302
    )
    assert (
        data.post(f"{URL}{project.pk}/targets/", {"indicator": INDICATOR, "target": "24"}).status_code == 302
    )
    target = ProjectTarget.objects.get()
    assert target.target == 24  # set again: changed, not doubled

    page = data.get(f"{URL}{project.pk}/")
    line = page.context["lines"][0]
    assert line.achieved.value == 6 and str(line.percent) == "25.0"
    assert "Women registered" in page.content.decode()

    sheet = load_workbook(
        io.BytesIO(data.get(f"{URL}{project.pk}/report/", {"format": "xlsx"}).content)
    ).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Safe futures — report to Kazakh Women's Fund"
    header = rows[[row[0] for row in rows].index("Indicator")]
    assert header[-3:] == ["Value", "Target", "Per cent of target"]
    assert rows[-1][0] == "Women registered" and rows[-1][-3:] == [6, 24, 25]

    response = data.get(f"{URL}{project.pk}/report/", {"format": "csv"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[-1][-3:] == ["6", "24", "25.0"]
    actions = set(AuditEntry.objects.filter(org=world.org).values_list("action", flat=True))
    assert {"report_project.create", "report_project.target_set", "report_export.download"} <= actions

    few = area(world.org, "Taraz", world.at)
    women(world.org, few, 2, world.at)
    small = data.post(f"{URL}new/", _project_body(world, [few], name="Small"))
    small_project = Project.objects.get(name="Small")
    data.post(f"{URL}{small_project.pk}/targets/", {"indicator": INDICATOR, "target": "100"})
    # A project's report leaves the organisation: 2 is hidden even from a role that reads the records.
    officer = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    assert small.status_code == 302
    small_line = officer.get(f"{URL}{small_project.pk}/").context["lines"][0]
    assert small_line.achieved.suppressed and small_line.percent is None

    assert data.post(f"{URL}targets/{target.pk}/remove/").status_code == 302
    assert not ProjectTarget.objects.filter(pk=target.pk).exists()


@pytest.mark.usefixtures("beneficiary_report")
def test_it_refuses_bad_projects_and_targets(world: World) -> None:
    data = world.client_for(world.members[Role.DATA_OFFICER])
    foreign = area(world.other_org, "Elsewhere", world.at)
    day = world.at.date()
    backwards = _project_body(
        world, [], starts_on=day.isoformat(), ends_on=(day - timedelta(days=1)).isoformat()
    )
    assert data.post(f"{URL}new/", backwards).status_code == 422
    assert data.post(f"{URL}new/", _project_body(world, [foreign])).status_code == 422
    assert not Project.objects.exists()

    data.post(f"{URL}new/", _project_body(world, []))
    project = Project.objects.get()
    assert data.post(f"{URL}new/", _project_body(world, [])).status_code == 422  # the same name twice
    for body in ({"indicator": "nope.none", "target": "5"}, {"indicator": INDICATOR, "target": "0"}):
        response = data.post(f"{URL}{project.pk}/targets/", body, follow=True)
        assert response.status_code == 200 and list(response.context["messages"])
    assert not ProjectTarget.objects.exists()

    officer = world.client_for(world.members[Role.PROGRAMME_OFFICER])  # follows projects, does not set them
    assert officer.get(f"{URL}{project.pk}/").status_code == 200
    assert (
        officer.post(f"{URL}{project.pk}/targets/", {"indicator": INDICATOR, "target": "5"}).status_code
        == 403
    )
    assert world.client_for(world.members[Role.CASEWORKER]).get(URL).status_code == 403
    assert data.get(f"{URL}{project.pk}/report/", {"format": "doc"}).status_code == 302


@pytest.mark.usefixtures("beneficiary_report")
def test_a_target_shows_figures_only_to_roles_that_read_its_reports(world: World) -> None:
    """GBVIMS figures are not for programme officers: a project's GBVIMS target does not show them."""
    covered = area(world.org, "Almaty", world.at)
    data = world.client_for(world.members[Role.DATA_OFFICER])
    data.post(f"{URL}new/", _project_body(world, [covered]))
    project = Project.objects.get()
    for code in (INDICATOR, "gbvims.incidents"):
        data.post(f"{URL}{project.pk}/targets/", {"indicator": code, "target": "10"})

    lines = {line.code: line for line in data.get(f"{URL}{project.pk}/").context["lines"]}
    assert lines["gbvims.incidents"].readable and lines["gbvims.incidents"].achieved is not None

    officer = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    page = officer.get(f"{URL}{project.pk}/")
    lines = {line.code: line for line in page.context["lines"]}
    assert not lines["gbvims.incidents"].readable and lines["gbvims.incidents"].achieved is None
    assert lines[INDICATOR].readable
    assert "not shown to your role" in page.content.decode()
    exported = officer.get(f"{URL}{project.pk}/report/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "Women registered" in exported and "GBV incidents reported" not in exported
