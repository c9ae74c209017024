from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "haven.retention"
    label = "retention"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the audit action codes at start-up, as every app's actions.py does.
        from haven.retention import actions  # noqa: F401
