from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from haven.web.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo organisations and staff (skips any that exist) and print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo(at=timezone.now())
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in logins:
            self.stdout.write(f"  {login.username:<28} {login.language:<3} {login.role}  [{login.org}]")
