from django.urls import path

from haven.training import views

app_name = "training"
urlpatterns = [
    path("", views.centre_list, name="list"),
    path("new/", views.centre_create, name="centre_create"),
    path("figures/", views.figures, name="figures"),
    path("<uuid:training_centre_id>/", views.centre_detail, name="centre"),
    path("<uuid:training_centre_id>/courses/new/", views.course_create, name="course_create"),
    path("courses/<uuid:training_course_id>/batches/new/", views.batch_create, name="batch_create"),
    path("batches/<uuid:training_batch_id>/", views.batch_detail, name="batch"),
    path("batches/<uuid:training_batch_id>/status/", views.batch_move, name="batch_move"),
    path("batches/<uuid:training_batch_id>/enrol/", views.enrol, name="enrol"),
    path("batches/<uuid:training_batch_id>/register/", views.register, name="register"),
    path("trainees/<uuid:trainee_id>/exam/", views.exam, name="exam"),
    path("trainees/<uuid:trainee_id>/drop/", views.drop, name="drop"),
    path("trainees/<uuid:trainee_id>/certificate/", views.certificate_issue, name="certificate_issue"),
    path("certificates/<uuid:training_certificate_id>/pdf/", views.certificate_pdf, name="certificate_pdf"),
]
