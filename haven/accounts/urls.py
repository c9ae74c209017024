from django.urls import path

from haven.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("authenticator/setup/", views.totp_setup, name="totp_setup"),
    path("authenticator/", views.totp_verify, name="totp_verify"),
    path("preferences/", views.preferences, name="preferences"),
    path("organisation/", views.switch_org, name="switch_org"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
