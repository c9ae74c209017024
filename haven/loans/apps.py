from django.apps import AppConfig


class LoansConfig(AppConfig):
    """Microcredit: products, applications and committee approval, schedules, repayments, arrears."""

    name = "haven.loans"
    label = "loans"
    default_auto_field = "django.db.models.BigAutoField"
