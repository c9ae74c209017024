from django.apps import AppConfig


class SelectionConfig(AppConfig):
    """Applications, quotas, selection lists with committee review and objections, enrolment."""

    name = "haven.benefits.selection"
    label = "selection"
    default_auto_field = "django.db.models.BigAutoField"
