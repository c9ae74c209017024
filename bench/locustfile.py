"""The locust users of bench/dashboards.py (P7 in issue 9); that script writes the plan and runs locust.

By hand: HAVEN_BENCH_PLAN=plan.json HAVEN_BENCH_RESULT=result.json .venv/bin/python -m locust
         -f bench/locustfile.py --headless --host http://127.0.0.1:PORT --users 50 --spawn-rate 50 -t 300s

The plan (JSON): `requests`, the page views to make in all (the run stops by itself once they are
answered); `interval`, the seconds between one user's views (0: back to back); `members`, each a
`cookie` (a real session), `every` (the page it views: name, path) and `fourth` (the page for every
fourth view of the run in all, when it has one: a report page). Locust user k is member k, in turn.
At the end, locust's final statistics go to HAVEN_BENCH_RESULT (JSON): each page name's and all pages'
("Aggregated") requests, pages/s, percentiles and maximum in ms, and the errors.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path
from typing import Any

import gevent  # type: ignore[import-untyped]
from locust import FastHttpUser, events, task
from locust.env import Environment
from locust.exception import StopUser
from locust.stats import StatsError

PLAN: dict[str, Any] = json.loads(Path(os.environ["HAVEN_BENCH_PLAN"]).read_text())
_views = itertools.count()  # the whole run's views, shared by every user (greenlets of one process)
_members = itertools.count()


class Member(FastHttpUser):
    def on_start(self) -> None:
        self.member = PLAN["members"][next(_members) % len(PLAN["members"])]
        gevent.sleep(random.random() * PLAN["interval"])  # noqa: S311 - spread the paced users' starts
        self.planned = time.monotonic()

    def wait_time(self) -> float:
        """One view every `interval` seconds from the user's start, whatever each one took."""
        self.planned += PLAN["interval"]
        return max(0.0, self.planned - time.monotonic())

    @task
    def view(self) -> None:
        number = next(_views)
        if number >= PLAN["requests"]:
            raise StopUser
        name, path = self.member["every"]
        if number % 4 == 3 and self.member.get("fourth"):
            name, path = self.member["fourth"]
        headers = {"Cookie": self.member["cookie"]} if self.member["cookie"] else {}
        with self.client.get(
            path, headers=headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:  # a redirect to the login page is an error too
                response.failure(f"status {response.status_code}")


def _quit_when_answered(environment: Environment, **_kwargs: Any) -> None:
    def watch() -> None:
        while environment.stats.total.num_requests < PLAN["requests"]:
            gevent.sleep(0.05)
        if environment.runner is not None:
            environment.runner.quit()

    gevent.spawn(watch)


def _write_result(environment: Environment, **_kwargs: Any) -> None:
    stats = environment.stats
    result = {
        "pages": {
            entry.name: {
                "requests": entry.num_requests,
                "pages/s": entry.total_rps if entry.num_requests else 0,
                **{f"p{p}": entry.get_response_time_percentile(p / 100) for p in (50, 95, 99)},
                "max": entry.max_response_time,
            }
            for entry in [*stats.entries.values(), stats.total]
        },
        "errors": [(e.name, StatsError.parse_error(e.error), e.occurrences) for e in stats.errors.values()],
    }
    Path(os.environ["HAVEN_BENCH_RESULT"]).write_text(json.dumps(result))


events.test_start.add_listener(_quit_when_answered)  # type: ignore[no-untyped-call]
events.quitting.add_listener(_write_result)  # type: ignore[no-untyped-call]
