from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    """Social-protection programmes: registry, programmes and rules, cycles and entitlements."""

    name = "haven.benefits"
    label = "benefits"
    default_auto_field = "django.db.models.BigAutoField"
