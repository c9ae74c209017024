from django.urls import path

from haven.legal import views

app_name = "legal"
urlpatterns = [
    path("", views.matter_list, name="matters"),
    path("cases/<uuid:case_id>/matters/new/", views.matter_create, name="matter_create"),
    path("cases/<uuid:case_id>/consultations/new/", views.consultation_create, name="consultation_create"),
    path("matters/<uuid:legal_matter_id>/", views.matter_detail, name="matter"),
    path("matters/<uuid:legal_matter_id>/edit/", views.matter_edit, name="matter_edit"),
    path("matters/<uuid:legal_matter_id>/status/", views.matter_transition, name="matter_transition"),
    path("matters/<uuid:legal_matter_id>/lawyer/", views.matter_assign, name="matter_assign"),
    path("matters/<uuid:legal_matter_id>/outcome/", views.matter_outcome, name="matter_outcome"),
    path("matters/<uuid:legal_matter_id>/hearings/new/", views.hearing_create, name="hearing_create"),
    path(
        "matters/<uuid:legal_matter_id>/consultations/new/",
        views.matter_consultation_create,
        name="matter_consultation_create",
    ),
    path("hearings/<uuid:legal_hearing_id>/result/", views.hearing_result, name="hearing_result"),
    path(
        "consultations/<uuid:legal_consultation_id>/conclude/",
        views.consultation_conclude,
        name="consultation_conclude",
    ),
    path("advocates/", views.advocate_list, name="advocates"),
    path("advocates/new/", views.advocate_create, name="advocate_create"),
    path("advocates/<uuid:legal_advocate_id>/edit/", views.advocate_edit, name="advocate_edit"),
    path("advocates/<uuid:legal_advocate_id>/calendar/", views.advocate_calendar, name="advocate_calendar"),
    path("advocates/<uuid:legal_advocate_id>/calendar/feed/", views.feed_create, name="feed_create"),
    path("advocates/<uuid:legal_advocate_id>/calendar/feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/", views.my_calendar, name="my_calendar"),
    path("feed/<str:legal_feed_token>/calendar.ics", views.feed, name="feed"),
]
