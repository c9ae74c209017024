from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Documents drafted from an organisation's templates, reviewed, versioned and printed."""

    name = "haven.documents"
    label = "documents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from haven.documents import case_page

        case_page.register()
