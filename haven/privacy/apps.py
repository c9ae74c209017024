from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "haven.privacy"
    label = "privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from haven.privacy import actions, checks  # noqa: F401 - audit codes and the master-key check
