"""When a user must give an authenticator (TOTP) code, and the device they give it with."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.orgs.models import membership_of


def requires_totp(user: Any) -> bool:
    """The active membership's organisation decides, per role; no membership means nothing to protect."""
    membership = membership_of(user)
    return membership is not None and membership.org.requires_totp(membership.role_enum)


def confirmed_device(user: Any) -> TOTPDevice | None:
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device


def needs_second_factor(request: HttpRequest) -> str | None:
    """The URL name of the step still to do, or None when the user may go on."""
    user: Any = request.user
    if not user.is_authenticated or not requires_totp(user) or user.is_verified():
        return None
    return "accounts:totp_verify" if confirmed_device(user) else "accounts:totp_setup"
