from typing import Any

from django.core.management.base import BaseCommand

from haven.web.catalogues import compile_all


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po → .mo) with Babel."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        written = compile_all()
        self.stdout.write(f"Compiled {len(written)} catalogues.")
