"""`haven expire_holds`: mark bed holds past their time expired (cron-friendly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from haven.shelters.actions import expire_holds


class Command(BaseCommand):
    help = "Mark bed holds whose time has passed as expired (their beds already count as free)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = expire_holds(at=timezone.now())
        self.stdout.write(f"expired {count}")
