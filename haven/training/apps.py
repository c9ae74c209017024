from django.apps import AppConfig


class TrainingConfig(AppConfig):
    """Training centres: trade courses, batches, enrolment, attendance, exams and certificates."""

    name = "haven.training"
    label = "training"
    default_auto_field = "django.db.models.BigAutoField"
