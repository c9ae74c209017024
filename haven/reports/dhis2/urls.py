from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from haven.reports.dhis2 import views

app_name = "dhis2"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("elements/new/", views.add_element, name="add_element"),
    path("org-units/new/", views.add_unit, name="add_unit"),
    path("elements/<uuid:dhis2_element_id>/remove/", views.remove_element, name="remove_element"),
    path("org-units/<uuid:dhis2_unit_id>/remove/", views.remove_unit, name="remove_unit"),
    path("data-value-set.json", views.download, name="download"),
]
