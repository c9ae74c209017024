from django.apps import AppConfig


class LegalConfig(AppConfig):
    """Legal aid: matters, the advocates panel, consultations, hearings and the lawyers' calendar."""

    name = "haven.legal"
    label = "legal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from haven.legal import case_page

        case_page.register()
