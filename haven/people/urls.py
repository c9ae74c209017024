from django.urls import path

from haven.people import views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.register, name="register"),
    path("<uuid:person_id>/", views.detail, name="detail"),
    path("<uuid:person_id>/edit/", views.edit, name="edit"),
    path("<uuid:person_id>/safe-contact/", views.safe_contact, name="safe_contact"),
    path("<uuid:person_id>/household/new/", views.add_household_member, name="add_household_member"),
    path("<uuid:person_id>/household/left/", views.household_member_left, name="household_member_left"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<uuid:flag_id>/", views.compare, name="compare"),
    path("duplicates/<uuid:flag_id>/merge/", views.merge, name="merge"),
    path("duplicates/<uuid:flag_id>/distinct/", views.mark_distinct, name="mark_distinct"),
    path("merges/<uuid:merge_id>/undo/", views.undo_merge, name="undo_merge"),
]
