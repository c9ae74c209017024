from django.apps import AppConfig


class GrievancesConfig(AppConfig):
    """Grievances about the programmes, from beneficiaries or the public (anonymous allowed)."""

    name = "haven.benefits.grievances"
    label = "grievances"
    default_auto_field = "django.db.models.BigAutoField"
