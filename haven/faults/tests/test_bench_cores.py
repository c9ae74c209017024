"""`bench/run.py --cores N`: the benchmark and the server's processes run on N cores, then get theirs back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from haven.faults.tests.support import bench

pytestmark = pytest.mark.faults

cores = bench("cores")


def _sleeping() -> subprocess.Popen[bytes]:
    """A process standing for a server process: it sleeps until it is killed (or for a minute)."""
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    process = _sleeping()
    yield process
    process.kill()
    process.wait()


def test_the_run_and_the_server_share_the_first_cores_and_get_their_own_back(
    sleeper: subprocess.Popen[bytes],
) -> None:
    everything = os.sched_getaffinity(0)
    listed = [sleeper.pid]
    with cores.confined(1, processes=lambda: list(listed)) as chosen:
        assert chosen == {min(everything)}
        assert os.sched_getaffinity(0) == chosen
        assert os.sched_getaffinity(sleeper.pid) == chosen
        # A process the server starts during the run (a backend) inherits the confinement...
        started = _sleeping()
        listed.append(started.pid)
        assert os.sched_getaffinity(started.pid) == chosen
    try:
        assert os.sched_getaffinity(0) == everything
        assert os.sched_getaffinity(sleeper.pid) == everything
        assert os.sched_getaffinity(started.pid) == everything  # ...and is given every core back
    finally:
        started.kill()
        started.wait()


@pytest.mark.parametrize("count", [0, len(os.sched_getaffinity(0)) + 1])
def test_an_impossible_number_of_cores_stops_the_run_before_anything_changes(
    count: int, sleeper: subprocess.Popen[bytes]
) -> None:
    before = os.sched_getaffinity(sleeper.pid)
    with (
        pytest.raises(SystemExit, match="--cores must be between 1 and"),
        cores.confined(count, processes=lambda: [sleeper.pid]),
    ):
        pass
    assert os.sched_getaffinity(sleeper.pid) == before


def test_without_a_local_server_the_run_says_so() -> None:
    with (
        pytest.raises(SystemExit, match="needs the PostgreSQL server on this machine"),
        cores.confined(1, processes=list),
    ):
        pass


def test_the_server_s_processes_are_found_by_name(tmp_path: Path) -> None:
    """PostgreSQL's processes are named "postgres", whatever their titles say; so is this stand-in."""
    stand_in = tmp_path / "postgres"
    stand_in.symlink_to(shutil.which("sleep") or "/bin/sleep")
    process = subprocess.Popen([str(stand_in), "60"])
    try:
        found = cores.server_processes()
        assert process.pid in found
        assert os.getpid() not in found
    finally:
        process.kill()
        process.wait()
