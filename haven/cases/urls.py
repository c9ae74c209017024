from django.urls import path

from haven.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("open/<uuid:person_id>/", views.open_case, name="open"),
    path("<uuid:case_id>/", views.detail, name="detail"),
    path("<uuid:case_id>/incidents/new/", views.record_incident, name="record_incident"),
    path("<uuid:case_id>/transition/", views.transition, name="transition"),
]
