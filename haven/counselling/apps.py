from django.apps import AppConfig


class CounsellingConfig(AppConfig):
    """Individual counselling sessions and their confidential notes: see `haven/counselling/models.py`."""

    name = "haven.counselling"
    label = "counselling"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from haven.counselling import case_page

        case_page.register()
