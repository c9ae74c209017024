from django.apps import AppConfig


class DistributionConfig(AppConfig):
    """In-kind distribution: distribution points, the stock ledger, issues against cards."""

    name = "haven.benefits.distribution"
    label = "distribution"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The benefits core approves cycles without knowing about stock; this check makes it refuse a
        # cycle of an in-kind programme whose rations exceed what the distribution points hold.
        from haven.benefits.distribution.queries import cycle_stock_problems
        from haven.benefits.hooks import register_cycle_approval_check

        register_cycle_approval_check(cycle_stock_problems)
