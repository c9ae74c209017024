from django.apps import AppConfig


class DispatchConfig(AppConfig):
    """Emergency dispatch of mobile teams: see the module docstring of `haven/dispatch/models.py`."""

    name = "haven.dispatch"
    label = "dispatch"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from haven.dispatch import case_page

        case_page.register()
