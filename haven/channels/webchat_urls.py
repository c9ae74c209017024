from django.urls import path

from haven.channels import webchat

app_name = "chat"
urlpatterns = [path("<slug:org_slug>/", webchat.chat, name="page")]
