"""Verbs for accounts: staff users, preferences, authenticator devices and API tokens."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.models import ApiToken, User
from haven.orgs.actions import add_membership
from haven.orgs.models import Calendar, Membership, Organisation, Site
from haven.privacy import audit

LOGIN = audit.register_action("auth.login", "A user signed in")
LOGOUT = audit.register_action("auth.logout", "A user signed out")
LOGIN_LOCKED = audit.register_action("auth.locked", "An account was locked after repeated wrong passwords")
TOTP_CONFIRM = audit.register_action("auth.totp_confirm", "A user set up an authenticator app")
ORG_SWITCH = audit.register_action("auth.org_switch", "A user switched organisation")
PREFERENCES = audit.register_action("user.preferences", "A user changed language or calendar")
USER_CREATE = audit.register_action("user.create", "A staff account was created")
TOKEN_CREATE = audit.register_action("token.create", "An API token was created")
TOKEN_REVOKE = audit.register_action("token.revoke", "An API token was revoked")


def create_staff_member(
    *,
    org: Organisation,
    username: str,
    password: str,
    first_name: str,
    last_name: str,
    role: str,
    site: Site | None,
    language: str,
    acting_user: User | None,
    at: datetime,
    validate: bool = True,
) -> Membership:
    """Create a staff account and its membership in one step, so no account exists without a role."""
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken. Choose another.")})
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        language=language or org.default_language,
        last_org=org,
    )
    if validate:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    with transaction.atomic():
        user.save()
        audit.record(action=USER_CREATE, actor=acting_user, org=org, obj=user, at=at)
        return add_membership(org=org, user=user, role=role, site=site, acting_user=acting_user, at=at)


def set_preferences(*, user: User, language: str, calendar: str, at: datetime) -> User:
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Haven is not available in that language.")})
    if calendar not in Calendar.values:
        raise ValidationError({"calendar": _("Choose one of the calendars offered.")})
    with transaction.atomic():
        changed = [
            name
            for name, value in (("language", language), ("calendar", calendar))
            if getattr(user, name) != value
        ]
        user.language, user.calendar = language, calendar
        user.save(update_fields=["language", "calendar"])
        membership = user.active_membership
        audit.record(
            action=PREFERENCES,
            actor=user,
            org=membership.org if membership else None,
            obj=user,
            fields=changed,
            at=at,
        )
    return user


def switch_organisation(*, user: User, org_id: str, at: datetime) -> Membership:
    membership = user.active_memberships().filter(org__pk=org_id).first()
    if membership is None:
        raise ValidationError({"org": _("You are not a member of that organisation.")})
    with transaction.atomic():
        user.last_org = membership.org
        user.save(update_fields=["last_org"])
        audit.record(action=ORG_SWITCH, actor=user, org=membership.org, obj=user, at=at)
    return membership


def confirm_totp_device(*, device: TOTPDevice, code: str, at: datetime) -> TOTPDevice:
    if not device.verify_token(code.strip().replace(" ", "")):
        raise ValidationError({"code": _("That code is not right. Check your phone's time and try again.")})
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        membership = device.user.active_membership
        audit.record(
            action=TOTP_CONFIRM,
            actor=device.user,
            org=membership.org if membership else None,
            obj=device.user,
            at=at,
        )
    return device


def create_api_token(*, membership: Membership, name: str, at: datetime) -> tuple[ApiToken, str]:
    """Returns the token row and the full token text, which is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the token after where it will be used.")})
    lookup, secret = ApiToken.new_parts()
    with transaction.atomic():
        token = ApiToken.objects.create(
            membership=membership,
            name=name[:100],
            lookup=lookup,
            secret_hash=ApiToken.hash_secret(secret),
            created_at=at,
        )
        audit.record(action=TOKEN_CREATE, actor=membership.user, org=membership.org, obj=token, at=at)
    return token, ApiToken.compose(lookup, secret)


def revoke_api_token(*, token: ApiToken, acting_user: User, at: datetime) -> ApiToken:
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = at
            token.save(update_fields=["revoked_at"])
            audit.record(action=TOKEN_REVOKE, actor=acting_user, org=token.membership.org, obj=token, at=at)
    return token
