from django.urls import path

from haven.perpetrators import views

app_name = "perpetrators"
urlpatterns = [
    path("", views.participant_list, name="list"),
    path("new/", views.participant_create, name="create"),
    path("team/", views.team, name="team"),
    path("team/remove/", views.team_remove, name="team_remove"),
    path("<uuid:participant_id>/", views.participant_detail, name="detail"),
    path("<uuid:participant_id>/edit/", views.participant_edit, name="edit"),
    path("<uuid:participant_id>/status/", views.participant_status, name="status"),
    path("<uuid:participant_id>/sessions/new/", views.session_create, name="session_create"),
    path("<uuid:participant_id>/odara/new/", views.odara_create, name="odara_create"),
    path("<uuid:participant_id>/completion/", views.completion_create, name="completion"),
]
