from django.urls import path

from haven.groups import views

app_name = "groups"
urlpatterns = [
    path("", views.activity_list, name="activities"),
    path("new/", views.activity_create, name="activity_create"),
    path("figures/", views.figures, name="figures"),
    path("<uuid:group_activity_id>/", views.activity_detail, name="activity"),
    path("<uuid:group_activity_id>/sessions/new/", views.session_create, name="session_create"),
    path("<uuid:group_activity_id>/find/", views.activity_find, name="activity_find"),
    path("<uuid:group_activity_id>/enrol/", views.enrol, name="enrol"),
    path("enrolments/<uuid:group_enrolment_id>/exam/", views.exam_record, name="exam"),
    path(
        "enrolments/<uuid:group_enrolment_id>/certificate/", views.certificate_issue, name="certificate_issue"
    ),
    path("certificates/<uuid:group_certificate_id>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("sessions/<uuid:group_session_id>/", views.session_detail, name="session"),
    path("sessions/<uuid:group_session_id>/find/", views.session_find, name="session_find"),
    path("sessions/<uuid:group_session_id>/attendance/", views.attendance_record, name="attendance"),
    path("sessions/<uuid:group_session_id>/counts/", views.counts_edit, name="counts"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<uuid:group_campaign_id>/", views.campaign_detail, name="campaign"),
    path("campaigns/<uuid:group_campaign_id>/materials/new/", views.material_create, name="material_create"),
    path("materials/<uuid:group_material_id>/distribute/", views.distribution_create, name="distribute"),
]
