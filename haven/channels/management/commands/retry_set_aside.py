"""`haven retry_set_aside`: once the fault is fixed, try again the inbound events set aside after failing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from haven.channels.intake import retry_set_aside


class Command(BaseCommand):
    help = "Queue again the inbound messages and calls set aside after failing MAX_ATTEMPTS times."

    def handle(self, *args: Any, **options: Any) -> None:
        events, senders = retry_set_aside()
        self.stdout.write(f"queued again: {events} event(s) of {senders} sender(s)")
