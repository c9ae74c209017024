from django.urls import path

from haven.shelters import views

app_name = "shelters"
urlpatterns = [
    path("", views.facility_list, name="facilities"),
    path("new/", views.facility_create, name="facility_create"),
    path("availability/", views.availability, name="availability"),
    path("holds/new/", views.hold_place, name="hold_place"),
    path("holds/<uuid:hold_id>/", views.hold_detail, name="hold"),
    path("holds/<uuid:hold_id>/release/", views.hold_release, name="hold_release"),
    path("<uuid:facility_id>/", views.facility_detail, name="facility"),
    path("<uuid:facility_id>/address/", views.facility_address, name="facility_address"),
    path("<uuid:facility_id>/edit/", views.facility_edit, name="facility_edit"),
    path("<uuid:facility_id>/rooms/new/", views.room_create, name="room_create"),
    path("<uuid:facility_id>/board/", views.board, name="board"),
    path("<uuid:facility_id>/waitlist/", views.waitlist, name="waitlist"),
    path("<uuid:facility_id>/occupancy/", views.occupancy, name="occupancy"),
    path("<uuid:facility_id>/turn-aways/new/", views.turn_away, name="turn_away"),
    path("rooms/<uuid:room_id>/beds/", views.beds_add, name="beds_add"),
    path("rooms/<uuid:room_id>/in-use/", views.room_in_use, name="room_in_use"),
    path("beds/<uuid:bed_id>/in-use/", views.bed_in_use, name="bed_in_use"),
    path("cases/<uuid:case_id>/admit/", views.admit, name="admit"),
    path("cases/<uuid:case_id>/waitlist/", views.waitlist_add, name="waitlist_add"),
    path("stays/<uuid:stay_id>/", views.stay_detail, name="stay"),
    path("stays/<uuid:stay_id>/extension/", views.extension_request, name="extension_request"),
    path("stays/<uuid:stay_id>/discharge/", views.discharge, name="discharge"),
    path("stays/<uuid:stay_id>/transfer/", views.transfer, name="transfer"),
    path("extensions/<uuid:extension_id>/decide/", views.extension_decide, name="extension_decide"),
    path("waitlist/<uuid:entry_id>/offer/", views.waitlist_offer, name="waitlist_offer"),
    path("waitlist/<uuid:entry_id>/withdraw/", views.waitlist_withdraw, name="waitlist_withdraw"),
]
