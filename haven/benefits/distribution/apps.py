from django.apps import AppConfig


class DistributionConfig(AppConfig):
    """In-kind distribution: distribution points, the stock ledger, issues against cards."""

    name = "haven.benefits.distribution"
    label = "distribution"
    default_auto_field = "django.db.models.BigAutoField"
