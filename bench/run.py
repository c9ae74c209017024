"""One command for the benchmark suite: a named scenario, or all of them, at a chosen scale.

Run: .venv/bin/python bench/run.py P5                 # one scenario at the size its issue names
     .venv/bin/python bench/run.py P1 P6 --scale 0.1  # a tenth of the data, for a quick look
     .venv/bin/python bench/run.py all                # everything, one after the other (hours)
     .venv/bin/python bench/run.py P1 --cores 1       # on one core, with the local PostgreSQL server
     .venv/bin/python bench/run.py --list

Each scenario is its own script in bench/ (run it directly for every option). Every script generates its
synthetic data reproducibly in a database of its own on the server named by DATABASE_URL, and prints a
table with a baseline measured in the same run (hand-written SQL, a naive ORM loop, or the HTTP floor)
and the ratio. This command adds the machine (cores, memory, PostgreSQL version) above the tables, so a
copy into docs/performance.md says where the figures come from. `--cores N` runs the scenarios and the
PostgreSQL server of this machine on N of its cores (bench/cores.py): how a result grows with cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from cores import confined

BENCH = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Scenario:
    title: str
    target: str
    script: str
    sizes: dict[str, int]  # options that scale, at the size the issue names
    options: list[str] = field(default_factory=list)  # options that do not

    def command(self, scale: float) -> list[str]:
        sized = [
            part for name, size in self.sizes.items() for part in (name, str(max(1, round(size * scale))))
        ]
        return [sys.executable, str(BENCH / self.script), *sized, *self.options]


SCENARIOS: dict[str, Scenario] = {
    "P1": Scenario(
        "hotline intake: contact + returning-caller lookup + risk screen",
        "p95 <= 50 ms at 50 concurrent clients; >= 200 contacts/s",
        "contact_intake.py",
        {"--people": 100_000, "--operations": 3_000},
        ["--clients", "50"],
    ),
    "P2": Scenario(
        "webhook intake (Twilio, Meta WhatsApp, Telegram; signed)",
        ">= 500 events/s acknowledged, p99 <= 100 ms, 0 lost, 0 duplicated",
        "webhook_intake.py",
        {"--events": 10_000},
    ),
    "P3": Scenario(
        "returning-person search",
        "p95 <= 50 ms over 1,000,000 people; precision/recall on the cross-script set",
        "person_search.py",
        {"--people": 1_000_000},
    ),
    "P4": Scenario(
        "benefit cycle generation",
        "<= 1.5x INSERT ... SELECT ... ON CONFLICT DO NOTHING; >= 20x per-object creation",
        "cycle_generation.py",
        {"--enrolments": 1_500_000},
    ),
    "P5": Scenario(
        "GBVIMS statistics",
        "<= 2 s and <= 2x hand-written SQL over 1,000,000 incidents",
        "gbvims_statistics.py",
        {"--incidents": 1_000_000},
    ),
    "P6": Scenario(
        "network bed availability",
        "<= 20 ms over 1,000 facilities / 20,000 beds",
        "bed_availability.py",
        {"--facilities": 1_000},
        ["--beds-per-facility", "20"],
    ),
    "P7": Scenario(
        "staff pages (dashboards and reports) under 50 concurrent users",
        "p95 <= 150 ms",
        "dashboards.py",
        {"--requests": 500},
        ["--clients", "50", "--rate", "10"],
    ),
    "R1": Scenario(
        "concurrent admissions on few beds",
        "0 double bookings",
        "concurrent_admissions.py",
        {"--households": 130},
    ),
    "I7": Scenario(
        "registry import (issue 7)",
        "750,000 rows: time, duplicate precision and recall",
        "registry_import.py",
        {"--rows": 750_000},
    ),
    "E7": Scenario(
        "eligibility over the registry (issue 7)",
        "set-based against the per-woman rules",
        "eligibility.py",
        {"--persons": 1_500_000},
    ),
}


def machine(cores: int | None = None) -> str:
    """Cores, memory and the PostgreSQL server the scenarios run on."""
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    server = os.environ.get("DATABASE_URL", "postgresql://127.0.0.1:5432/test")
    try:
        import psycopg

        with psycopg.connect(server, connect_timeout=5) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            version = f"PostgreSQL {row[0]}" if row else "PostgreSQL"
    except Exception as error:  # printed; every scenario will say more
        version = f"PostgreSQL unreachable ({type(error).__name__})"
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    used = f"{cores} of {os.cpu_count()} cores (server and benchmark)" if cores else f"{os.cpu_count()} cores"
    return (
        f"{used}, {memory_gib:.0f} GiB, {platform.python_implementation()} "
        f"{platform.python_version()}, {version}; load average {load}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("names", nargs="*", help="scenario names (P1 ... P7, R1, I7, E7) or 'all'")
    parser.add_argument("--scale", type=float, default=1.0, help="share of the issue's data size")
    parser.add_argument("--list", action="store_true", help="list the scenarios and their targets")
    parser.add_argument(
        "--cores", type=int, help="run on this many cores, with the PostgreSQL server of this machine"
    )
    args = parser.parse_args(argv)
    if args.list or not args.names:
        for name, scenario in SCENARIOS.items():
            print(f"{name}  {scenario.title}\n    target: {scenario.target}\n    {scenario.script}")
        return 0
    names = list(SCENARIOS) if args.names == ["all"] else [name.upper() for name in args.names]
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)}; --list shows them")
    with confined(args.cores) if args.cores else nullcontext():
        print(f"machine: {machine(args.cores)}")
        failed = [name for name in names if not _run(name, SCENARIOS[name], args.scale)]
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


def _run(name: str, scenario: Scenario, scale: float) -> bool:
    """Run one scenario, its command shown first; True when it ran to the end."""
    command = scenario.command(scale)
    shown = " ".join(["python", *command[1:]]).replace(str(BENCH.parent) + "/", "")
    print(f"\n## {name}: {scenario.title}\ntarget: {scenario.target}\n$ {shown}", flush=True)
    return subprocess.run(command, check=False).returncode == 0  # noqa: S603 - our own scripts


if __name__ == "__main__":
    sys.exit(main())
