from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "haven.hotline"
    label = "hotline"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from haven.hotline import (
            actions,  # noqa: F401 - registers the audit action codes
            case_page,
            intake,
        )

        intake.register()
        case_page.register()
