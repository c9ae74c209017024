"""Role dashboards and report pages under concurrent users, against running server processes on PostgreSQL.

Run: DATABASE_URL=postgresql://127.0.0.1:5432/postgres .venv/bin/python bench/dashboards.py --clients 50

The data: the demo organisations (`haven.web.demo.load_demo`: cases with incidents, hotline contacts,
shelter stays, programmes, loans...) loaded once into the benchmark's own database
(`haven_bench_dashboards`, reused afterwards). The users: every demo member whose role has a dashboard
(centre and shelter managers, programme officer, data officer, org admin), each with a real session.

The servers are `--servers` processes of `--threads` threads each (the same pool server as
bench/webhook_intake.py, production settings), all accepting on one port. `--clients` client threads
each send their share of `--requests` GETs, back to back or paced (`--rate`), cycling over the users:
the user's dashboard, and for every fourth request a report page (the user's first readable report for
the current year).

Same-run baselines, through the same servers and clients: the HTTP floor (a path answered before Django),
and Haven's home page for the same users (a light page through the whole middleware: session, membership,
language, navigation), so the cost of the figures themselves is what separates the lines.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_database import open_bench_database
from webhook_intake import BENCH_ENV, FLOOR_PATH, _row, _start_servers, _stop, print_table, run_clients

BENCH_DB = "haven_bench_dashboards"
AT = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Visit:
    path: str
    cookie: str


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


def _visits(users: list[tuple[str, str]], count: int, page: str) -> list[Visit]:
    from django.urls import reverse

    year = str(AT.year)
    visits = []
    for index in range(count):
        cookie, report_code = users[index % len(users)]
        if page == "home":
            path = reverse("web:home")
        elif index % 4 == 3 and report_code:
            path = f"{reverse('reports:report', kwargs={'report_code': report_code})}?period={year}"
        else:
            path = reverse("reports:dashboard")
        visits.append(Visit(path, cookie))
    return visits


def _get(port: int) -> Callable[[Any, Visit], bool]:
    def call(_state: Any, visit: Visit) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("GET", visit.path, headers={"Cookie": visit.cookie, "Host": "127.0.0.1"})
            response = connection.getresponse()
            response.read()
            return response.status == 200
        finally:
            connection.close()

    return call


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=50, help="concurrent users")
    parser.add_argument("--requests", type=int, default=1_000, help="page views in each measured line")
    parser.add_argument("--servers", type=int, default=2, help="server processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per server process")
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="pace the clients to N page views a second in total (50 people reading, each clicking every "
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
    get = _get(port)
    figures = _visits(users, args.requests, "figures")
    run_clients(figures[: args.servers * args.threads * 2], args.clients, None, get, lambda: None)  # warm-up
    measured = run_clients(figures, args.clients, args.rate, get, lambda: None)
    home = run_clients(_visits(users, args.requests, "home"), args.clients, args.rate, get, lambda: None)
    floor_visits = [Visit(FLOOR_PATH, "") for _ in range(args.requests)]
    floor = run_clients(floor_visits, args.clients, args.rate, get, lambda: None)
    peak = _stop(servers)
    load = f"paced at {args.rate:,.0f} pages/s in total" if args.rate else "back to back"
    print(
        f"\n{len(users)} users, {args.clients} clients {load}, {args.servers}×{args.threads} server "
        f"threads; {time.perf_counter() - started:.0f} s; server peak RSS {peak:.0f} MiB\n"
    )
    header = ("pages", "requests", "pages/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors")
    print_table(
        header,
        [
            _row("dashboards (3 in 4) and report pages (1 in 4)", measured),
            _row("baseline: home page, same users", home),
            _row("baseline: HTTP floor (same server, trivial app)", floor),
        ],
    )


if __name__ == "__main__":
    main()
