from django.urls import path

from haven.counselling import views

app_name = "counselling"
urlpatterns = [
    path("mine/", views.my_sessions, name="my_sessions"),
    path("cases/<uuid:case_id>/new/", views.record_session, name="record"),
    path("sessions/<uuid:counselling_session_id>/", views.session_detail, name="session"),
    path("sessions/<uuid:counselling_session_id>/notes/", views.notes_edit, name="notes"),
    path("settings/notes-access/", views.notes_access, name="notes_access"),
]
