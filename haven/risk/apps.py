from django.apps import AppConfig


class RiskConfig(AppConfig):
    """Risk screening: instruments as versioned data files, assessments, escalation rules."""

    name = "haven.risk"
    label = "risk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from haven.risk import case_page, instrument

        instrument.library()  # a malformed instrument file stops the start-up, not a screen
        case_page.register()
