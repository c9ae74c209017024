from django.urls import path

from haven.referrals import views

app_name = "referrals"
urlpatterns = [
    path("incoming/", views.incoming, name="incoming"),
    path("incoming/<uuid:incoming_id>/answer/", views.respond, name="respond"),
    path("cases/<uuid:case_id>/refer/", views.refer, name="refer"),
    path("people/<uuid:person_id>/releases/", views.release_list, name="release_list"),
    path("people/<uuid:person_id>/releases/new/", views.release_create, name="release_create"),
    path("releases/<uuid:release_id>/", views.release_detail, name="release_detail"),
    path("releases/<uuid:release_id>/revoke/", views.release_revoke, name="release_revoke"),
    path("<uuid:referral_id>/", views.referral_detail, name="detail"),
    path("<uuid:referral_id>/outcome/", views.outcome, name="outcome"),
]
