from django.urls import path

from haven.channels import views, webhooks

app_name = "channels"
urlpatterns = [
    path("", views.channel_list, name="list"),
    path("new/", views.channel_create, name="create"),
    path("<uuid:channel_id>/", views.channel_edit, name="edit"),
    # The URL given to the provider: the channel id is random, and every request must also be signed.
    path("hooks/<uuid:channel_id>/", webhooks.inbound, name="inbound"),
]
