from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "haven.channels"
    label = "channels"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from django_tasks.signals import task_started

        from haven.channels.intake import forget_saved_channel
        from haven.channels.models import Channel
        from haven.channels.tasks import replay_when_worker_starts

        task_started.connect(replay_when_worker_starts, dispatch_uid="channels-replay-spool")
        post_save.connect(forget_saved_channel, sender=Channel, dispatch_uid="channels-forget-saved")
