from django.urls import path

from haven.benefits.grievances import views

app_name = "grievances"
urlpatterns = [
    path("", views.grievance_list, name="list"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("new/", views.grievance_create, name="create"),
    path("figures/", views.statistics, name="statistics"),
    path("<uuid:grievance_id>/", views.grievance_detail, name="detail"),
    path("<uuid:grievance_id>/assign/", views.grievance_assign, name="assign"),
    path("<uuid:grievance_id>/decide/", views.grievance_decide, name="decide"),
    path("<uuid:grievance_id>/appeal/", views.grievance_appeal, name="appeal"),
    path("<uuid:grievance_id>/appeal/decide/", views.appeal_decide, name="appeal_decide"),
    path("<uuid:grievance_id>/close/", views.grievance_close, name="close"),
    path("public/<slug:org_slug>/", views.public_lodge, name="public"),
    path("public/<slug:org_slug>/track/", views.public_track, name="public_track"),
]
