from django.apps import AppConfig


class PerpetratorsConfig(AppConfig):
    """The perpetrator programme, kept apart from survivor data."""

    name = "haven.perpetrators"
    label = "perpetrators"
    default_auto_field = "django.db.models.BigAutoField"
