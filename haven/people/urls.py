from django.urls import path

from haven.people import views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.register, name="register"),
    path("<uuid:person_id>/", views.detail, name="detail"),
    path("<uuid:person_id>/safe-contact/", views.safe_contact, name="safe_contact"),
]
