from django.urls import path

from haven.hotline import views

app_name = "hotline"
urlpatterns = [
    path("", views.board, name="board"),
    path("contacts/new/", views.offer, name="offer"),
    path("contacts/<uuid:contact_id>/", views.contact, name="contact"),
    path("contacts/<uuid:waiting_id>/pick-up/", views.pick_up, name="pick_up"),
    path("contacts/<uuid:contact_id>/close/", views.quick_close, name="quick_close"),
    path("contacts/<uuid:contact_id>/wrap-up/", views.wrap_up, name="wrap_up"),
    path("contacts/<uuid:contact_id>/transfer/", views.transfer, name="transfer"),
    path("contacts/<uuid:contact_id>/link/", views.link, name="link"),
    path("contacts/<uuid:contact_id>/chat/", views.chat, name="chat"),
    path("contacts/<uuid:contact_id>/reply/", views.reply, name="reply"),
    path("availability/", views.availability, name="availability"),
    path("service-level/", views.service_level, name="service_level"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("callbacks/new/<uuid:person_id>/", views.schedule_callback, name="schedule_callback"),
    path("callbacks/<uuid:callback_id>/done/", views.callback_done, name="callback_done"),
]
