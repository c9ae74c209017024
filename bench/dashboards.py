"""Role dashboards and report pages under concurrent users, against running server processes on PostgreSQL.

Run: DATABASE_URL=postgresql://127.0.0.1:5432/postgres .venv/bin/python bench/dashboards.py --clients 50

The data: the demo organisations (`haven.web.demo.load_demo`: cases with incidents, hotline contacts,
shelter stays, programmes, loans...) loaded once into the benchmark's own database
(`haven_bench_dashboards`, reused afterwards). The users: every demo member whose role has a dashboard
(centre and shelter managers, programme officer, data officer, org admin), each with a real session.

The servers are `--servers` processes of `--threads` threads each (the same pool server as
bench/webhook_intake.py, production settings), all accepting on one port. The load is locust's, headless
(bench/locustfile.py, one locust process per line): `--clients` users, each a demo member's session in
turn, make `--requests` GETs in all, back to back or paced (`--rate`, in total), then stop: the member's
dashboard, and for every fourth view a report page (the member's first readable report for the current
year). The figures are locust's final statistics (its percentiles are whole milliseconds below 100 ms,
tens of milliseconds below 1 s).

Same-run baselines, through the same servers and locust users: the HTTP floor (a path answered before
Django), and Haven's home page for the same members (a light page through the whole middleware: session,
membership, language, navigation), so the cost of the figures themselves is what separates the lines.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_database import open_bench_database
from webhook_intake import BENCH_ENV, FLOOR_PATH, _start_servers, _stop, print_table

BENCH_DB = "haven_bench_dashboards"
AT = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"


def _load_demo_once() -> None:
    from haven.orgs.models import Organisation
    from haven.web.demo import load_demo

    if not Organisation.objects.filter(is_demo=True).exists():
        print("Loading the demo organisations (first run only)…", flush=True)
        load_demo(at=AT)


def _sessions() -> list[tuple[str, str]]:
    """(cookie header, first readable report code) for every demo member with a dashboard."""
    from django.conf import settings
    from django.test import Client

    from haven.orgs.models import Membership
    from haven.reports.dashboards import DASHBOARD_ROLES
    from haven.reports.indicators import REPORTS

    users = []
    for membership in Membership.objects.filter(
        org__is_demo=True, role__in=[r.value for r in DASHBOARD_ROLES]
    ):
        client = Client()
        client.force_login(membership.user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        readable = [code for code, report in REPORTS.items() if membership.role_enum in report.readers]
        users.append((f"{cookie.key}={cookie.value}", readable[0] if readable else ""))
    return users


def _members(users: list[tuple[str, str]], page: str) -> list[dict[str, Any]]:
    """The plan's members (bench/locustfile.py): each user's cookie and pages."""
    from django.urls import reverse

    if page == "home":
        return [{"cookie": cookie, "every": ("home", reverse("web:home"))} for cookie, _code in users]
    year = AT.year
    return [
        {
            "cookie": cookie,
            "every": ("dashboard", reverse("reports:dashboard")),
            "fourth": ("report", f"{reverse('reports:report', kwargs={'report_code': code})}?period={year}")
            if code
            else None,
        }
        for cookie, code in users
    ]


def _locust(port: int, members: list[Any], requests: int, users: int, rate: float | None) -> Any:
    """One headless locust run (bench/locustfile.py); its final statistics."""
    with tempfile.TemporaryDirectory(prefix="haven-locust-") as work:
        plan, result = Path(work) / "plan.json", Path(work) / "result.json"
        interval = users / rate if rate else 0
        plan.write_text(json.dumps({"requests": requests, "interval": interval, "members": members}))
        limit = requests / rate * 2 + 60 if rate else 600  # the run stops by itself well before
        command = [
            *(sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary"),
            *("--host", f"http://127.0.0.1:{port}", "--users", str(users)),
            *("--spawn-rate", str(users), "--run-time", f"{limit:.0f}s", "--exit-code-on-error", "0"),
        ]
        env = {**os.environ, "HAVEN_BENCH_PLAN": str(plan), "HAVEN_BENCH_RESULT": str(result)}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0 or not result.exists():
            sys.exit(f"locust failed:\n{done.stderr[-3000:]}")
        return json.loads(result.read_text())


def _row(label: str, result: Any, name: str = "Aggregated") -> tuple[str, ...]:
    figures = result["pages"][name]
    errors = [f"{error} {count}" for page, error, count in result["errors"] if name in ("Aggregated", page)]
    return (
        label,
        f"{figures['requests']:,}",
        f"{figures['pages/s']:,.0f}",
        *(f"{figures[p]:,}" for p in ("p50", "p95", "p99")),
        f"{figures['max']:,.0f}",
        ", ".join(errors) or "0",
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=50, help="concurrent users (locust users)")
    parser.add_argument("--requests", type=int, default=1_000, help="page views in each measured line")
    parser.add_argument("--servers", type=int, default=2, help="server processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per server process")
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="pace the users to N page views a second in total (50 people reading, each clicking every "
        "few seconds) instead of back to back",
    )
    args = parser.parse_args(argv)
    for name, value in BENCH_ENV.items():
        os.environ.setdefault(name, value)
    server_url = os.environ.get("DATABASE_URL", "postgresql://127.0.0.1:5432/test")
    open_bench_database(server_url, BENCH_DB)
    _load_demo_once()
    users = _sessions()
    if not users:
        sys.exit("No demo member has a dashboard: the demo data is missing.")
    env = {**os.environ, "HAVEN_VAR_DIR": tempfile.mkdtemp(prefix="haven-bench-")}
    port, servers = _start_servers(args.servers, args.threads, env)
    started = time.perf_counter()
    try:
        figures = _members(users, "figures")
        _locust(port, figures, args.servers * args.threads * 2, args.clients, None)  # warm-up
        measured = _locust(port, figures, args.requests, args.clients, args.rate)
        home = _locust(port, _members(users, "home"), args.requests, args.clients, args.rate)
        floor_members = [{"cookie": "", "every": ("floor", FLOOR_PATH)}]
        floor = _locust(port, floor_members, args.requests, args.clients, args.rate)
    finally:
        peak = _stop(servers)
    load = f"paced at {args.rate:,.0f} pages/s in total" if args.rate else "back to back"
    print(
        f"\n{len(users)} demo members, {args.clients} locust users {load}, {args.servers}×{args.threads} "
        f"server threads; {time.perf_counter() - started:.0f} s; server peak RSS {peak:.0f} MiB\n"
    )
    header = ("pages", "requests", "pages/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors")
    print_table(
        header,
        [
            _row("dashboards (3 in 4) and report pages (1 in 4)", measured),
            _row("… of which dashboards", measured, "dashboard"),
            _row("… of which report pages", measured, "report"),
            _row("baseline: home page, same users", home),
            _row("baseline: HTTP floor (same server, trivial app)", floor),
        ],
    )


if __name__ == "__main__":
    main()
