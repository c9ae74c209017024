"""`haven run_scheduler`: enqueue periodic jobs as they fall due (run it beside the task workers)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from haven.retention.scheduler import run_due


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs (expire holds, complete enrolments, lapse associations, retention "
        "purge) when due. Safe to run on two machines: each due time is enqueued once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue what is due now, then exit.")
        parser.add_argument("--every", type=int, default=30, help="Seconds between checks (default 30).")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            for name in run_due(timezone.now()):
                self.stdout.write(f"enqueued {name}")
            if options["once"]:
                return
            close_old_connections()
            time.sleep(options["every"])
