from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "haven.referrals"
    label = "referrals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from haven.referrals import case_page

        case_page.register()
