from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Cash payments: batches per cycle, provider files, status import and reconciliation."""

    name = "haven.benefits.payments"
    label = "payments"
    default_auto_field = "django.db.models.BigAutoField"
