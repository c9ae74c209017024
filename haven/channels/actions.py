"""Verbs that configure channels and send messages through them.

Each verb validates, then saves and writes its audit entry in one transaction, and raises
`ValidationError` keyed by field name. Secrets are write-only: an empty value on update keeps the stored one,
and the audit log records that a secret changed, never what it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.channels import hours
from haven.channels.models import Channel, OutboundMessage
from haven.channels.providers import sender_index
from haven.channels.queries import free_text_allowed
from haven.channels.senders import Outgoing, SendFailed, sender_for
from haven.orgs.models import Organisation
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

CHANNEL_CREATE = audit.register_action("channel.create", "A channel (phone line, chat, bot) was set up")
CHANNEL_UPDATE = audit.register_action("channel.update", "A channel's settings or secrets changed")
MESSAGE_SEND = audit.register_action("channel.message_send", "A message was sent through a channel")

CHANNEL_FIELDS = (
    "name",
    "kind",
    "provider",
    "address",
    "provider_account",
    "time_zone",
    "always_open",
    "weekly_hours",
    "holidays",
    "closed_messages",
    "approved_templates",
    "is_active",
)
SECRET_FIELDS = ("webhook_secret", "verify_token", "api_token")

PROVIDERS_BY_KIND: dict[str, set[str]] = {
    Channel.Kind.VOICE: {Channel.Provider.TWILIO},
    Channel.Kind.SMS: {Channel.Provider.TWILIO},
    Channel.Kind.WHATSAPP: {Channel.Provider.TWILIO, Channel.Provider.META},
    Channel.Kind.TELEGRAM: {Channel.Provider.TELEGRAM},
    Channel.Kind.WEBCHAT: {Channel.Provider.HAVEN},
}
TELEGRAM_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
WINDOW_CLOSED = gettext_lazy(
    "Her last WhatsApp message was more than 24 hours ago, so WhatsApp only allows an "
    "approved template now. Choose a template instead of writing a message."
)
"""Why free text is refused outside WhatsApp's window; the hotline's reply form shows it before she tries."""


def _required_settings(channel: Channel) -> dict[str, str]:
    """What each provider needs before its webhooks can be verified (field → what to enter)."""
    if channel.provider == Channel.Provider.TWILIO:
        return {
            "provider_account": _("Enter the Twilio Account SID."),
            "webhook_secret": _("Enter the Twilio auth token: it verifies that requests come from Twilio."),
        }
    if channel.provider == Channel.Provider.META:
        return {
            "provider_account": _("Enter the WhatsApp phone number ID from Meta."),
            "webhook_secret": _("Enter the Meta app secret: it verifies that requests come from Meta."),
            "verify_token": _("Enter the verify token you also give Meta when subscribing the webhook."),
        }
    if channel.provider == Channel.Provider.TELEGRAM:
        return {"webhook_secret": _("Enter the secret token you also give Telegram in setWebhook.")}
    return {}


def _validate(channel: Channel) -> None:
    errors: dict[str, str] = {}
    if not channel.name.strip():
        errors["name"] = _("Give the channel a name staff will recognise.")
    if channel.provider not in PROVIDERS_BY_KIND.get(channel.kind, set()):
        errors["provider"] = _("This provider does not offer this kind of channel.")
    for name, message in _required_settings(channel).items():
        if not getattr(channel, name):
            errors.setdefault(name, message)
    secret = channel.webhook_secret
    if channel.provider == Channel.Provider.TELEGRAM and secret and not TELEGRAM_SECRET.match(secret):
        errors["webhook_secret"] = _("Telegram accepts 1 to 256 letters, digits, _ and - in a secret token.")
    if not channel.always_open and not any(channel.weekly_hours.values()):
        errors["weekly_hours"] = _("Give opening hours, or mark the channel open around the clock.")
    unknown = set(channel.closed_messages) - {code for code, _name in settings.LANGUAGES}
    if unknown:
        errors["closed_messages"] = _("Messages outside hours can only be given in Haven's languages.")
    if errors:
        raise ValidationError(errors)


def _clean(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Normalise the structured settings so that forms and the API store the same shapes."""
    cleaned = dict(changes)
    if "time_zone" in cleaned:
        hours.validate_time_zone(cleaned["time_zone"])
    if "weekly_hours" in cleaned:
        cleaned["weekly_hours"] = hours.validate_weekly_hours(cleaned["weekly_hours"] or {})
    if "holidays" in cleaned:
        cleaned["holidays"] = hours.parse_holidays(" ".join(cleaned["holidays"] or []))
    if "closed_messages" in cleaned:
        cleaned["closed_messages"] = {
            k: v.strip() for k, v in (cleaned["closed_messages"] or {}).items() if v.strip()
        }
    if "approved_templates" in cleaned:
        cleaned["approved_templates"] = sorted(
            {t.strip() for t in cleaned["approved_templates"] or [] if t.strip()}
        )
    return cleaned


def create_channel(*, org: Organisation, acting_user: User | None, at: datetime, **settings_: Any) -> Channel:
    unknown = set(settings_) - set(CHANNEL_FIELDS) - set(SECRET_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be set here.")})
    channel = Channel(org=org, created_at=at, **_clean(settings_))
    _validate(channel)
    with transaction.atomic():
        channel.save()
        audit.record(
            action=CHANNEL_CREATE,
            actor=acting_user,
            org=org,
            at=at,
            obj=channel,
            fields=[name for name in (*CHANNEL_FIELDS, *SECRET_FIELDS) if name in settings_],
        )
    return channel


def update_channel(
    *, channel: Channel, changes: Mapping[str, Any], acting_user: User | None, at: datetime
) -> Channel:
    """Change settings; a secret sent empty (or not at all) keeps the one stored."""
    changed = []
    for name, value in _clean(changes).items():
        if name not in CHANNEL_FIELDS and name not in SECRET_FIELDS:
            raise ValidationError({name: _("This field cannot be changed here.")})
        if name in SECRET_FIELDS and not value:
            continue
        if getattr(channel, name) != value:
            setattr(channel, name, value)
            changed.append(name)
    _validate(channel)
    if changed:
        with transaction.atomic():
            channel.save()
            audit.record(
                action=CHANNEL_UPDATE, actor=acting_user, org=channel.org, at=at, obj=channel, fields=changed
            )
    return channel


def _check_message(channel: Channel, to: str, text: str, template: str, at: datetime) -> None:
    if not channel.is_active:
        raise ValidationError(_("This channel is switched off: switch it on before sending."))
    if not to.strip():
        raise ValidationError({"to": _("Say whom to send the message to.")})
    if bool(text.strip()) == bool(template):
        raise ValidationError({"text": _("Write a message or choose a template (one of the two).")})
    if template and template not in channel.approved_templates:
        raise ValidationError({"template": _("Choose one of the channel's approved templates.")})
    if text and not free_text_allowed(channel, to, at):
        raise ValidationError({"text": str(WINDOW_CLOSED)})


def send_message(
    *,
    channel: Channel,
    to: str,
    text: str = "",
    template: str = "",
    params: Sequence[str] = (),
    language: str = "",
    closed_notice: bool = False,
    acting_user: User | None,
    at: datetime,
) -> OutboundMessage:
    """Send through the channel's provider, then record what was sent (`closed_notice`: Haven's own
    answer outside hours).

    The provider is called before the transaction opens, so a slow provider does not hold database locks;
    a refusal leaves nothing recorded.
    """
    _check_message(channel, to, text, template, at)
    outgoing = Outgoing(to, text, template, language or channel.org.default_language, tuple(params))
    try:
        provider_id = sender_for(channel).send(channel, outgoing)
    except SendFailed:
        raise ValidationError(
            _("The provider did not accept the message, so nothing was sent. Try again in a moment.")
        ) from None
    message = OutboundMessage(
        org_id=channel.org_id,
        channel=channel,
        recipient_index=sender_index(channel, to),
        recipient=to,
        body=text,
        template=template,
        provider_message_id=provider_id[:200],
        is_closed_notice=closed_notice,
        sent_at=at,
    )
    with transaction.atomic():
        message.save()
        audit.record(
            action=MESSAGE_SEND,
            actor=acting_user,
            org=channel.org,
            at=at,
            obj=message,
            fields=["recipient", "template" if template else "body"],
        )
    return message
