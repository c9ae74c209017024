from django.urls import path

from haven.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.policies, name="policies"),
]
