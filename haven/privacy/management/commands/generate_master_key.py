from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.privacy.keyring import new_master_key_text


class Command(BaseCommand):
    help = "Create a new random master key. Keep it outside the database and outside backups of it."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", help="Write the key to this file (created with mode 0600).")

    def handle(self, *args: Any, **options: Any) -> None:
        key = new_master_key_text()
        if not options["file"]:
            self.stdout.write(key)
            return
        path = Path(options["file"])
        if path.exists():
            raise CommandError(f"{path} exists already; Haven will not overwrite a master key.")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(key + "\n", encoding="ascii")
        self.stdout.write(f"Master key written to {path}. Set HAVEN_MASTER_KEY_FILE={path}")
