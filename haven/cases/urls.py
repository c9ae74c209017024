from django.urls import include, path

from haven.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("", include("haven.cases.care_urls")),
    path("follow-ups/<uuid:follow_up_id>/done/", views.complete_follow_up, name="complete_follow_up"),
    path("open/<uuid:person_id>/", views.open_case, name="open"),
    path("<uuid:case_id>/", views.detail, name="detail"),
    path("<uuid:case_id>/incidents/new/", views.record_incident, name="record_incident"),
    path("<uuid:case_id>/follow-ups/new/", views.schedule_follow_up, name="schedule_follow_up"),
    path("<uuid:case_id>/transition/", views.transition, name="transition"),
    path("<uuid:case_id>/team/", views.add_to_team, name="add_to_team"),
    path("<uuid:case_id>/team/leave/", views.remove_from_team, name="remove_from_team"),
    path("<uuid:case_id>/sites/", views.set_sites, name="set_sites"),
    path(
        "incidents/<uuid:incident_id>/perpetrators/new/",
        views.describe_perpetrator,
        name="describe_perpetrator",
    ),
]
