from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "dhis2"

urlpatterns: list[URLPattern | URLResolver] = []
