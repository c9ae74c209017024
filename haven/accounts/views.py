"""Signing in and out, the authenticator step, preferences, organisation switch and API tokens."""

from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts import actions
from haven.accounts.forms import CodeForm, LoginForm, PreferencesForm, TokenForm
from haven.accounts.models import ApiToken
from haven.accounts.totp import confirmed_device
from haven.orgs.access import StaffRequest, get_visible_or_404, public_view, staff_view
from haven.orgs.forms import FormPage, add_verb_errors, handle_form
from haven.orgs.middleware import SESSION_KEY
from haven.orgs.models import Organisation


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("web:home")


@public_view
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return HttpResponseRedirect(_next_url(request))
    demo = Organisation.objects.filter(is_demo=True, totp_required_roles=[]).exists()
    context = {"form": form, "next": _next_url(request), "demo_without_totp": demo}
    return render(request, "accounts/login.html", context, status=401 if form.errors else 200)


def locked_out(request: HttpRequest, response: Any = None, credentials: Any = None) -> HttpResponse:
    """Shown instead of the login page once an account has had too many wrong passwords (django-axes)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked.html", {"minutes": minutes}, status=429)


@public_view
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(reverse("accounts:login"))


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def _pending_device(request: HttpRequest) -> TOTPDevice:
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Haven", confirmed=False)
    return device


@public_view
@require_http_methods(["GET", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in of a user whose role needs a second factor: show a QR code, confirm one code."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("accounts:login"))
    if confirmed_device(request.user) is not None:
        return HttpResponseRedirect(reverse("accounts:totp_verify"))
    device = _pending_device(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device.user = request.user  # the request's user knows the organisation they are acting in
        try:
            actions.confirm_totp_device(device=device, code=form.cleaned_data["code"], at=timezone.now())
        except ValidationError as exc:
            add_verb_errors(form, exc)
        else:
            otp_login(request, device)
            return HttpResponseRedirect(reverse("web:home"))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {"form": form, "qr_svg": _qr_svg(device.config_url), "secret": secret}
    return render(request, "accounts/totp_setup.html", context, status=422 if form.errors else 200)


@public_view
@require_http_methods(["GET", "POST"])
def totp_verify(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("accounts:login"))
    device = confirmed_device(request.user)
    if device is None:
        return HttpResponseRedirect(reverse("accounts:totp_setup"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip().replace(" ", "")):
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        form.add_error("code", _("That code is not right. Check your phone's time and try again."))
    return render(request, "accounts/totp_verify.html", {"form": form}, status=422 if form.errors else 200)


@staff_view(methods=("GET", "POST"))
@require_http_methods(["GET", "POST"])
def preferences(request: StaffRequest) -> HttpResponse:
    user = request.user
    initial = {"language": user.language or request.LANGUAGE_CODE, "calendar": request.calendar}
    form = PreferencesForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> Any:
        return actions.set_preferences(user=user, at=timezone.now(), **data)

    page = FormPage(
        "accounts/preferences.html", _("Preferences saved."), lambda _u: reverse("accounts:preferences")
    )
    return handle_form(request, form, save, page)


@staff_view(methods=("POST",))
@require_POST
def switch_org(request: StaffRequest) -> HttpResponse:
    try:
        membership = actions.switch_organisation(
            user=request.user,
            org_id=request.POST.get("org", ""),
            at=timezone.now(),
        )
    except ValidationError:
        messages.error(request, _("You are not a member of that organisation."))
        return HttpResponseRedirect(reverse("web:home"))
    request.session[SESSION_KEY] = str(membership.org_id)
    messages.success(request, _("You are now working in %(org)s.") % {"org": membership.org.name})
    return HttpResponseRedirect(reverse("web:home"))


@staff_view(methods=("GET", "POST"))
@require_http_methods(["GET", "POST"])
def token_list(request: StaffRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _row, new_token = actions.create_api_token(
                membership=request.membership,
                name=form.cleaned_data["name"],
                at=timezone.now(),
            )
        except ValidationError as exc:
            add_verb_errors(form, exc)
        else:
            form = TokenForm()
    tokens = ApiToken.objects.visible_to(request.user)
    context = {"form": form, "tokens": tokens, "new_token": new_token}
    template = "accounts/_token_panel.html" if request.htmx else "accounts/tokens.html"
    return render(request, template, context, status=422 if form.errors else 200)


@staff_view(object_kwargs=("token_id",), methods=("POST",))
@require_POST
def token_revoke(request: StaffRequest, token_id: int) -> HttpResponse:
    token = get_visible_or_404(ApiToken.objects.select_related("membership__org"), request.user, pk=token_id)
    actions.revoke_api_token(token=token, acting_user=request.user, at=timezone.now())
    messages.success(request, _("Token revoked. Anything using it can no longer reach Haven."))
    return HttpResponseRedirect(reverse("accounts:tokens"))
