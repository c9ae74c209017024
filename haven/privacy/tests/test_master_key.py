"""Without a usable master key Haven refuses to start, and says how to fix it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from haven.privacy.keyring import MasterKeyError, new_master_key_text, read_master_key

PROJECT = Path(__file__).resolve().parents[3]


def test_it_reads_the_key_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    key_file = tmp_path / "master.key"
    key_file.write_text(new_master_key_text() + "\n")
    monkeypatch.delenv("HAVEN_MASTER_KEY")
    monkeypatch.setenv("HAVEN_MASTER_KEY_FILE", str(key_file))
    assert len(read_master_key()) == 32


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "No master key"),
        ({"HAVEN_MASTER_KEY": "not base64!"}, "not valid base64"),
        ({"HAVEN_MASTER_KEY": "c2hvcnQ="}, "32 bytes"),
        ({"HAVEN_MASTER_KEY_FILE": "/nonexistent/master.key"}, "cannot be read"),
    ],
)
def test_it_explains_a_missing_or_bad_key(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    monkeypatch.delenv("HAVEN_MASTER_KEY")
    monkeypatch.delenv("HAVEN_MASTER_KEY_FILE", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(MasterKeyError, match=message):
        read_master_key()


def test_it_stops_management_commands_through_the_system_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HAVEN_MASTER_KEY")
    with pytest.raises(SystemCheckError, match=r"haven\.E001"):
        call_command("check")


def _server_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HAVEN_MASTER_KEY", "DATABASE_URL"))}
    env.update({"HAVEN_SECRET_KEY": "x", "DJANGO_SETTINGS_MODULE": "haven.settings", "HAVEN_VAR_DIR": "/tmp"})
    env.update(overrides)
    return env


def test_it_refuses_to_start_the_web_server_without_a_key() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import haven.wsgi"],
        cwd=PROJECT,
        env=_server_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "No master key" in result.stderr


def test_it_refuses_runserver_without_a_key() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "haven", "runserver", "--noreload", "127.0.0.1:0"],
        cwd=PROJECT,
        env=_server_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "No master key" in result.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u:secret@db/haven", "the scheme given was 'mysql'"),
        ("not a url", "no scheme"),
        ("postgresql://127.0.0.1:5432", "names no database"),
    ],
)
def test_it_explains_a_malformed_database_url(url: str, message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "haven", "check"],
        cwd=PROJECT,
        env=_server_env(DATABASE_URL=url, HAVEN_MASTER_KEY=new_master_key_text()),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr
    assert "secret" not in result.stderr  # a password in the URL is never echoed
