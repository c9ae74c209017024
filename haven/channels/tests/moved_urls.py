"""A URLconf with the channels mounted elsewhere, for the webhook middleware's test."""

from django.urls import include, path

urlpatterns = [path("providers/", include("haven.channels.urls"))]
