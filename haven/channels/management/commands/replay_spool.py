"""`haven replay_spool`: store the webhooks that were spooled to disk while the database was down."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from haven.channels.intake import replay_spool, spool_dir


class Command(BaseCommand):
    help = "Store inbound webhooks spooled to disk while the database was unavailable (oldest first)."

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = replay_spool()
        self.stdout.write(f"stored {outcome.stored}, unreadable {outcome.unreadable}, left {outcome.left}")
        if outcome.unreadable:
            self.stderr.write(f"unreadable files were kept as *.failed in {spool_dir()}")
