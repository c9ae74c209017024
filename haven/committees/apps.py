from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    """Coordination committees: members, meetings, tabled cases, decisions and actions."""

    name = "haven.committees"
    label = "committees"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from haven.committees import case_page

        case_page.register()
