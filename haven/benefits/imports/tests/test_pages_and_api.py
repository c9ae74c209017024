"""The upload page (worker run on commit), the job page and its JSON progress, the errors file, the
templates, the API, and the command with its progress line."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from haven.benefits.imports.management.commands.import_registry import ProgressLine
from haven.benefits.imports.models import ImportJob
from haven.benefits.imports.tests.helpers import bangladeshi, csv_bytes, row, run
from haven.benefits.models import Beneficiary
from haven.conftest import World
from haven.orgs.models import Organisation
from haven.orgs.roles import Role

Status = ImportJob.Status


@pytest.fixture
def org(world: World) -> Organisation:
    return bangladeshi(world.org)


@pytest.fixture
def officer(world: World, org: Organisation) -> Client:
    return world.client_for(world.members[Role.PROGRAMME_OFFICER])


def test_an_upload_runs_on_commit_and_the_job_page_follows_it(
    officer: Client, org: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    upload = SimpleUploadedFile("union.csv", csv_bytes([row(), row()]), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(reverse("imports:list"), {"file": upload})

    job = ImportJob.objects.get(org=org)
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[job.pk])
    assert (job.status, job.rows_imported, job.upload) == (Status.DONE, 2, None)
    assert job.file_name == "union.csv"
    page = officer.get(reverse("imports:detail", args=[job.pk]))
    assert page.status_code == 200 and b'value="100"' in page.content
    progress = officer.get(reverse("imports:progress", args=[job.pk])).json()
    assert (progress["status"], progress["percent"], progress["finished"], progress["rows_imported"]) == (
        "DONE",
        100,
        True,
        2,
    )


def test_a_wrong_file_is_refused_on_the_form_and_nothing_is_queued(
    officer: Client, org: Organisation
) -> None:
    upload = SimpleUploadedFile("list.csv", b"name,colour\nA,blue\n", content_type="text/csv")
    response = officer.post(reverse("imports:list"), {"file": upload})

    assert response.status_code == 422
    assert "Unknown columns: colour." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_errors_file_downloads(officer: Client, org: Organisation) -> None:
    job = run(org, csv_bytes([row(mobile="nope")]))
    response = officer.get(reverse("imports:errors", args=[job.pk]))

    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[1] == "2,mobile,This is not a phone number Haven can read."


def test_the_list_page_shows_jobs_in_few_queries(
    officer: Client, org: Organisation, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        run(org, csv_bytes([row()]), dry_run=True, file_name="a.csv")
    with django_assert_max_num_queries(12):
        response = officer.get(reverse("imports:list"))
    assert response.content.decode().count("a.csv") == 3
    assert b"registry_number" in response.content  # the column guide


def test_the_templates_download(officer: Client) -> None:
    csv_file = officer.get(reverse("imports:template_csv"))
    xlsx_file = officer.get(reverse("imports:template_xlsx"))

    assert csv_file.content.decode("utf-8-sig").startswith("registry_number,name,")
    assert xlsx_file.content.startswith(b"PK")


def _api(world: World, method: str, path: str, body: Any = None) -> Any:
    member = world.members[Role.COMPUTER_OPERATOR]
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    import json

    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def test_the_api_uploads_and_reports(
    world: World, org: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    content = base64.b64encode(csv_bytes([row(), row(nid="bad")])).decode()
    with django_capture_on_commit_callbacks(execute=True):
        created = _api(world, "POST", "/registry-imports", {"file_name": "a.csv", "content_base64": content})
    assert created.status_code == 201
    job_id = created.json()["id"]
    job = _api(world, "GET", f"/registry-imports/{job_id}").json()
    assert (job["status"], job["refused_rows"], job["rows_total"]) == ("REFUSED", 1, 2)
    errors = _api(world, "GET", f"/registry-imports/{job_id}/errors")
    assert "3,nid," in errors.content.decode()
    assert [j["id"] for j in _api(world, "GET", "/registry-imports").json()] == [job_id]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"file_name": "a.csv", "content_base64": "not base64!"}, "content_base64"),
        ({"file_name": "a.csv", "content_base64": base64.b64encode(b"x,y\n1,2\n").decode()}, "file"),
    ],
)
def test_the_api_refuses_bad_uploads_with_422(
    world: World, org: Organisation, body: dict[str, str], field: str
) -> None:
    response = _api(world, "POST", "/registry-imports", body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert not ImportJob.objects.exists()


def test_the_command_imports_with_a_progress_line(org: Organisation, tmp_path: Path) -> None:
    path = tmp_path / "registry.csv"
    path.write_bytes(csv_bytes([row(), row(), row()]))
    out = io.StringIO()
    call_command("import_registry", str(path), "--org", "home", stdout=out)

    text = out.getvalue()
    assert "checking 3 / 3 rows" in text and "importing 3 / 3 rows" in text and "rows/s" in text
    assert "3 imported" in text
    assert Beneficiary.objects.filter(org=org).count() == 3


def test_the_command_refuses_and_says_why(org: Organisation, tmp_path: Path) -> None:
    path = tmp_path / "registry.csv"
    path.write_bytes(csv_bytes([row(union="Nowhere")]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_registry", str(path), "--org", "home", "--dry-run", stdout=out)
    assert "2,union,No union of your organisation has this code or name." in out.getvalue()


def test_the_progress_line_gives_rate_and_time_left() -> None:
    assert ProgressLine.line("importing", 10_000, 40_000, 2.0) == (
        "importing 10,000 / 40,000 rows · 5,000 rows/s · 0 min 6 s left"
    )
