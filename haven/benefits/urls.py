from django.urls import path

from haven.benefits import views

app_name = "benefits"
urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<uuid:benefit_programme_id>/", views.programme_detail, name="programme_detail"),
    path("programmes/<uuid:benefit_programme_id>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<uuid:benefit_programme_id>/rules/", views.rule_set_publish, name="rule_set_publish"),
    path("programmes/<uuid:benefit_programme_id>/cycles/", views.cycle_open, name="cycle_open"),
    path(
        "programmes/<uuid:benefit_programme_id>/exit-completed/", views.exit_completed, name="exit_completed"
    ),
    path("cycles/<uuid:benefit_cycle_id>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<uuid:benefit_cycle_id>/generate/", views.cycle_generate, name="cycle_generate"),
    path("cycles/<uuid:benefit_cycle_id>/progress/", views.cycle_progress, name="cycle_progress"),
    path("cycles/<uuid:benefit_cycle_id>/approve/", views.cycle_approve, name="cycle_approve"),
    path("registry/", views.beneficiary_list, name="beneficiary_list"),
    path("registry/<uuid:beneficiary_id>/", views.beneficiary_detail, name="beneficiary_detail"),
    path("registry/<uuid:beneficiary_id>/enrol/", views.enrol, name="enrol"),
    path("enrolments/<uuid:benefit_enrolment_id>/exit/", views.enrolment_exit, name="enrolment_exit"),
]
