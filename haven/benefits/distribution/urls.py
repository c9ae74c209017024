from django.urls import path

from haven.benefits.distribution import views

app_name = "distribution"

POINT = "points/<uuid:distribution_point_id>/"
POINT_CYCLE = POINT + "cycles/<uuid:distribution_cycle_id>/"

urlpatterns = [
    path("", views.point_list, name="points"),
    path("points/new/", views.point_create, name="point_create"),
    path(POINT, views.point_detail, name="point"),
    path(POINT + "edit/", views.point_edit, name="point_edit"),
    path(POINT + "receive/", views.stock_receive, name="receive"),
    path(POINT + "loss/", views.stock_loss, name="loss"),
    path(POINT + "adjust/", views.stock_adjust, name="adjust"),
    path(POINT_CYCLE + "issue/", views.issue, name="issue"),
    path(POINT_CYCLE + "close/", views.close, name="close"),
    path(POINT_CYCLE + "uncollected/", views.uncollected, name="uncollected"),
    path("cycles/", views.cycle_list, name="cycles"),
    path("cycles/<uuid:distribution_cycle_id>/", views.cycle_detail, name="cycle"),
    path("cycles/<uuid:distribution_cycle_id>/allocate/", views.cycle_allocate, name="allocate"),
    path("figures/", views.figures, name="figures"),
]
