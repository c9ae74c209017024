from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "haven.orgs"
    label = "orgs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from haven.orgs import actions  # noqa: F401 - registers the audit action codes
