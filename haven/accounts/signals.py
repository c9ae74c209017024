"""Sign-in and sign-out go into the audit log (who and when; never the password or the address)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.utils import timezone

from haven.accounts import actions
from haven.privacy import audit


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(action=actions.LOGIN, actor=user, org=user.last_org, obj=user, at=timezone.now())


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(action=actions.LOGOUT, actor=user, org=user.last_org, obj=user, at=timezone.now())


@receiver(user_locked_out)
def audit_lockout(sender: Any, request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    from haven.accounts.models import User

    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        audit.record(action=actions.LOGIN_LOCKED, actor=None, org=user.last_org, obj=user, at=timezone.now())
