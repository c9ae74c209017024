from django.apps import AppConfig


class SheltersConfig(AppConfig):
    """Shelters and one-stop centres: see the module docstring of `haven/shelters/models.py`."""

    name = "haven.shelters"
    label = "shelters"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from haven.shelters import case_page

        case_page.register()
