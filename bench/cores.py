"""Run a benchmark, and the PostgreSQL server on this machine, on fewer of its cores.

`bench/run.py P1 --cores 1` uses this to show how a scenario's throughput grows with the cores it is given,
which says what a target missed on this machine needs (docs/performance.md, P1).

The server's processes are confined by their process ids: those running now, and the backends the
postmaster starts later, which inherit its affinity. Afterwards every server process gets back the cores
it had (a backend started during the run, those of the postmaster). Changing another user's processes
takes root or CAP_SYS_NICE; without it the run stops before measuring anything.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


def server_processes() -> list[int]:
    """The ids of this machine's PostgreSQL processes (postmaster and backends: their name is "postgres")."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with suppress(OSError):  # a process that ended meanwhile, or one we may not read
            if (entry / "comm").read_text().strip() == "postgres":
                found.append(int(entry.name))
    return sorted(found)


def first_cores(count: int) -> set[int]:
    """The first `count` of the cores this process may run on; a clear error for an impossible count."""
    available = sorted(os.sched_getaffinity(0))
    if not 1 <= count <= len(available):
        raise SystemExit(f"--cores must be between 1 and {len(available)} on this machine, not {count}")
    return set(available[:count])


@contextmanager
def confined(count: int, processes: Callable[[], list[int]] = server_processes) -> Iterator[set[int]]:
    """Confine this process (and the children it starts) and `processes()` to the first `count` cores."""
    cores = first_cores(count)
    targets = processes()
    if not targets:
        raise SystemExit("--cores needs the PostgreSQL server on this machine; no postgres process was found")
    own = os.sched_getaffinity(0)
    saved = {pid: cpus for pid in targets if (cpus := _affinity(pid))}
    try:
        for pid in targets:
            _set(pid, cores)
        os.sched_setaffinity(0, cores)
        yield cores
    finally:
        os.sched_setaffinity(0, own)
        for pid in processes():
            # A backend started during the run gets the cores its parent (the postmaster) had.
            with suppress(ProcessLookupError):
                os.sched_setaffinity(pid, saved.get(pid) or saved.get(_parent(pid)) or own)


def _affinity(pid: int) -> set[int]:
    """The cores the process may run on; none for one that ended since it was listed."""
    try:
        return os.sched_getaffinity(pid)
    except ProcessLookupError:
        return set()


def _parent(pid: int) -> int:
    """The parent's id, from /proc/<pid>/stat ("pid (name) state ppid ...", the name may hold spaces)."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _set(pid: int, cores: set[int]) -> None:
    try:
        os.sched_setaffinity(pid, cores)
    except ProcessLookupError:
        pass  # a backend that ended since it was listed
    except PermissionError:
        raise SystemExit(
            f"--cores may not change the cores of process {pid} (PostgreSQL): "
            "run as root or as the server's user"
        ) from None


def server_cpu_seconds() -> float:
    """The CPU time this machine's PostgreSQL has used so far: its live processes, and the backends that
    ended (counted in the postmaster's reaped children), so a load's share is the difference before and
    after it. Everything the server did in between counts, other clients' work included."""
    pids = server_processes()
    ticks = 0
    for pid in pids:
        with suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
            if _parent(pid) not in pids:  # the postmaster
                ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> tuple[float, float]:
    """Seconds all cores have been busy, and in all, since boot (/proc/stat's first line)."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK"), sum(ticks) / os.sysconf("SC_CLK_TCK")
