from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "haven.hotline"
    label = "hotline"
    default_auto_field = "django.db.models.BigAutoField"
