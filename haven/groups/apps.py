from django.apps import AppConfig


class GroupsConfig(AppConfig):
    """Group work, trainings, awareness sessions and campaigns: see `haven/groups/models.py`."""

    name = "haven.groups"
    label = "groups"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from haven.groups import case_page

        case_page.register()
