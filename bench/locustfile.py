"""The locust users of bench/dashboards.py (P7 in issue 9); that script writes the plan and runs locust.

By hand: HAVEN_BENCH_PLAN=plan.json .venv/bin/python -m locust -f bench/locustfile.py --headless
         --host http://127.0.0.1:PORT --users 50 --spawn-rate 10 --run-time 300s

The plan (JSON): `requests`, the page views to make in all (the run stops by itself once they are
answered); `interval`, the seconds between one user's views (0: back to back); `members`, each a
`cookie` (a real session) and its `pages`: `every` (visited otherwise) and `fourth` (every fourth
view of the run in all, when the member has one: a report page). Locust user k is member k, in turn.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import gevent  # type: ignore[import-untyped]
from locust import FastHttpUser, constant_pacing, events, task
from locust.env import Environment
from locust.exception import StopUser

PLAN: dict[str, Any] = json.loads(Path(os.environ["HAVEN_BENCH_PLAN"]).read_text())
_views = itertools.count()  # the whole run's views, shared by every user (greenlets of one process)
_members = itertools.count()


class Member(FastHttpUser):
    wait_time = constant_pacing(PLAN["interval"])

    def on_start(self) -> None:
        self.member = PLAN["members"][next(_members) % len(PLAN["members"])]

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


events.test_start.add_listener(_quit_when_answered)  # type: ignore[no-untyped-call]
