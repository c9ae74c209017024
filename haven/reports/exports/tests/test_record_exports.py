"""Record-level exports: only the role responsible for the records, always audited, an AES-256 zip
whose password the person chose (sealed for the worker, then wiped), built in the background with a
progress bar, deleted after its one download or at expiry."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
import pyzipper
from django.core.exceptions import ValidationError
from django.db import connection

from haven.cases.actions import open_case, record_incident
from haven.conftest import World, make_member
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.privacy.models import AuditEntry
from haven.reports.exports import actions, sealing
from haven.reports.exports.models import RecordExport
from haven.reports.exports.tests.helpers import area, women

URL = "/reports/exports/records/"
PASSWORD = "nine-lanterns-over-Padma"
Status = RecordExport.Status


def _ask(
    client: Any, record_set: str, period: str, password: str = PASSWORD, again: str | None = None
) -> Any:
    body = {
        "record_set": record_set,
        "period": period,
        "password": password,
        "password_again": again or password,
    }
    return client.post(URL, body)


def _rows(archive: bytes, password: str) -> list[list[str]]:
    with pyzipper.AESZipFile(io.BytesIO(archive)) as opened:
        opened.setpassword(password.encode())
        (name,) = opened.namelist()
        content = opened.read(name)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_it_builds_an_encrypted_archive_and_hands_it_out_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    women(world.org, area(world.org, "Kaliganj", world.at), 3, world.at, name="রোকেয়া খাতুন")
    officer = world.members[Role.PROGRAMME_OFFICER]
    client = world.client_for(officer)
    assert client.get(URL).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the immediate backend runs the job
        response = _ask(client, "BENEFICIARIES", str(world.at.year))
    export = RecordExport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{export.pk}/"
    assert export.status == Status.READY and export.rows_total == export.rows_done == 3
    assert export.sealed_password is None and export.archive is not None
    with connection.cursor() as cursor:  # the password is nowhere in the database, sealed or not
        cursor.execute("SELECT * FROM report_exports_recordexport")
        assert PASSWORD.encode() not in repr(cursor.fetchall()).encode()

    page = client.get(f"{URL}{export.pk}/progress/")
    assert b'id="download"' in page.content and b"hx-trigger" not in page.content
    download = client.post(f"{URL}{export.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    archive = download.content
    with pytest.raises(RuntimeError):  # no password, no content
        zipfile.ZipFile(io.BytesIO(archive)).read(zipfile.ZipFile(io.BytesIO(archive)).namelist()[0])
    with pytest.raises(RuntimeError):
        _rows(archive, "not-the-password")
    rows = _rows(archive, PASSWORD)
    assert rows[0][:3] == ["registry number", "person code", "name"]
    assert [row[2] for row in rows[1:]] == ["রোকেয়া খাতুন"] * 3  # decrypted from the encrypted field
    assert all(row[0].startswith("R-") for row in rows[1:])

    export.refresh_from_db()
    assert export.status == Status.DOWNLOADED and export.archive is None
    again = client.post(f"{URL}{export.pk}/download/")
    assert again.status_code == 302  # once only: the file is gone
    assert [t.to_status for t in export.transitions.all()] == ["QUEUED", "RUNNING", "READY", "DOWNLOADED"]
    audited = list(AuditEntry.objects.filter(object_id=str(export.pk)).values_list("action", "actor_id"))
    assert sorted(audited) == sorted(
        [
            ("record_export.request", officer.user_id),
            ("record_export.build", None),
            ("record_export.download", officer.user_id),
        ]
    )


def test_it_exports_incidents_with_the_survivor_code_to_the_centre_manager(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    survivor = register_person(org=world.org, name="Walk Person", acting_user=None, at=world.at)
    case = open_case(survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at)
    record_incident(
        case=case,
        acting_user=None,
        at=world.at,
        occurred_on=world.at.date(),
        reported_on=world.at.date(),
        place_type="HOME",
        physical_violence=True,
    )
    manager = world.members[Role.CENTRE_MANAGER]
    with django_capture_on_commit_callbacks(execute=True):
        export = actions.request_record_export(
            membership=manager,
            record_set="INCIDENTS",
            period_code=str(world.at.year),
            password=PASSWORD,
            password_again=PASSWORD,
            acting_user=manager.user,
            at=world.at,
        )
    name, archive = actions.download_record_export(export=export, acting_user=manager.user, at=world.at)
    assert name == f"incidents-{world.at.year}.zip"
    rows = _rows(archive, PASSWORD)
    assert rows[1][0] == survivor.survivor_code and rows[1][1] == world.at.date().isoformat()
    assert "Walk Person" not in repr(rows)  # incidents carry the code, never her name


def test_it_refuses_roles_passwords_and_other_peoples_exports(world: World) -> None:
    for role in (Role.ORG_ADMIN, Role.DATA_OFFICER, Role.CASEWORKER):
        assert world.client_for(world.members[role]).get(URL).status_code == 403
    officer = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    refused = {
        "password": _ask(officer, "BENEFICIARIES", "2025", password="short", again="short"),
        "password_again": _ask(officer, "BENEFICIARIES", "2025", again=PASSWORD + "!"),
        "record_set": _ask(officer, "INCIDENTS", "2025"),
        "period": _ask(officer, "BENEFICIARIES", "2025-13"),
    }
    for field, response in refused.items():
        assert response.status_code == 422, field
        assert response.context["form"].errors.get(field), field
        assert PASSWORD.encode() not in response.content  # never echoed back
    assert not RecordExport.objects.exists()
    manager = world.members[Role.CENTRE_MANAGER]
    with pytest.raises(ValidationError):
        actions.request_record_export(
            membership=manager,
            record_set="BENEFICIARIES",
            period_code="2025",
            password=PASSWORD,
            password_again=PASSWORD,
            acting_user=manager.user,
            at=world.at,
        )

    mine = _ask(officer, "BENEFICIARIES", "2025")  # queued: nothing runs it inside the test transaction
    export = RecordExport.objects.get()
    progress = officer.get(f"{mine['Location']}progress/")
    assert b'hx-trigger="every 2s"' in progress.content and export.percent == 0
    colleague = make_member(world.org, Role.PROGRAMME_OFFICER, username="home.po2", at=world.at)
    other = world.client_for(colleague)
    assert other.get(mine["Location"]).status_code == 404
    assert other.post(f"{mine['Location']}download/").status_code == 404
    assert officer.post(f"{mine['Location']}download/").status_code == 302  # not ready: a message
    export.refresh_from_db()
    assert export.status == Status.QUEUED and export.sealed_password is not None


def test_it_wipes_failed_stale_and_expired_exports(world: World) -> None:
    officer = world.members[Role.PROGRAMME_OFFICER]

    def ask() -> RecordExport:
        return actions.request_record_export(
            membership=officer,
            record_set="BENEFICIARIES",
            period_code="2025",
            password=PASSWORD,
            password_again=PASSWORD,
            acting_user=officer.user,
            at=world.at,
        )

    broken = ask()
    RecordExport.objects.filter(pk=broken.pk).update(
        sealed_password=sealing.seal(b"x", column="archive", org_id=world.org.pk, export_id=broken.pk)
    )  # sealed for another column: it must fail, not decrypt
    failed = actions.build_record_export(export_id=broken.pk, clock=lambda: world.at)
    assert failed is not None and failed.status == Status.FAILED and failed.sealed_password is None
    assert actions.build_record_export(export_id=broken.pk, clock=lambda: world.at) is None  # claimed once

    built = actions.build_record_export(export_id=ask().pk, clock=lambda: world.at)
    stale = ask()
    assert built is not None and built.status == Status.READY
    assert actions.expire_record_exports(at=world.at + timedelta(hours=1)) == 0
    assert actions.expire_record_exports(at=world.at + timedelta(hours=25)) == 2
    built.refresh_from_db()
    stale.refresh_from_db()
    assert built.status == Status.EXPIRED and built.archive is None
    assert stale.status == Status.FAILED and stale.sealed_password is None
    with pytest.raises(ValidationError):
        actions.download_record_export(export=built, acting_user=officer.user, at=world.at)
