from django.apps import AppConfig


class SupportersConfig(AppConfig):
    """Supporters and donations, restricted funds and receipts; no survivor data."""

    name = "haven.supporters"
    label = "supporters"
    default_auto_field = "django.db.models.BigAutoField"
