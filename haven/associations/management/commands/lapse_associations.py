"""`python -m haven lapse_associations`: registrations that ended without a renewal lapse (run daily)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from haven.associations.actions import lapse_associations


class Command(BaseCommand):
    help = "Mark registered associations whose registration ended before today (or --on) as lapsed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--on", type=date.fromisoformat, help="The day to judge by (YYYY-MM-DD); today by default."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["on"] or timezone.localdate()
        count = lapse_associations(today=today, at=timezone.now())
        self.stdout.write(f"{count} registration(s) lapsed.")
