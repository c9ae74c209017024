from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Registry import from CSV/XLSX with validation, duplicate detection and progress."""

    name = "haven.benefits.imports"
    label = "imports"
    default_auto_field = "django.db.models.BigAutoField"
