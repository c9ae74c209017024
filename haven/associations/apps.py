from django.apps import AppConfig


class AssociationsConfig(AppConfig):
    """Voluntary women's associations (registration, grading, grants) and women entrepreneurs."""

    name = "haven.associations"
    label = "associations"
    default_auto_field = "django.db.models.BigAutoField"
