from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.management import call_command
from django.db.models.signals import post_migrate

DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"


def create_cache_table(using: str = "default", **_signal: Any) -> None:
    """`migrate` also makes the shared cache's table (HAVEN_CACHE_URL=database, the default): a deployment
    needs no extra step. `createcachetable` leaves an existing table alone."""
    if any(cache["BACKEND"] == DATABASE_CACHE for cache in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)


class WebConfig(AppConfig):
    name = "haven.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Sent once per app with models after every migrate; the command is a no-op after the first.
        post_migrate.connect(create_cache_table, dispatch_uid="haven.web.create_cache_table")
