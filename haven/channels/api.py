"""API for channels: set them up (managers) and send a message through one (staff working with survivors).

No `from __future__ import annotations` here: django-ninja reads the annotations at import time. Secrets
are write-only: answers say which are set, never their value.
"""

import uuid
from datetime import date
from typing import Annotated

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from haven.channels import actions
from haven.channels.models import Channel
from haven.channels.views import CHANNEL_MANAGERS
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.people.views import SURVIVOR_ROLES
from haven.web.openapi import SchemaName

ChannelKind = Annotated[Channel.Kind, SchemaName("ChannelKind")]
ChannelProvider = Annotated[Channel.Provider, SchemaName("ChannelProvider")]


router = Router(tags=["channels"])

Interval = tuple[str, str]


class ChannelIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    kind: ChannelKind
    provider: ChannelProvider
    address: str = Field("", max_length=120)
    provider_account: str = Field("", max_length=120)
    webhook_secret: str = Field("", max_length=500)
    verify_token: str = Field("", max_length=500)
    api_token: str = Field("", max_length=500)
    time_zone: str = Field("UTC", max_length=64)
    always_open: bool = True
    weekly_hours: dict[str, list[Interval]] = Field(default_factory=dict)
    holidays: list[date] = Field(default_factory=list, max_length=400)
    closed_messages: dict[str, str] = Field(default_factory=dict)
    approved_templates: list[str] = Field(default_factory=list, max_length=200)
    is_active: bool = True


class ChannelPatch(Schema):
    """Only the fields sent change; a secret sent empty keeps the stored one."""

    name: str | None = Field(None, min_length=1, max_length=120)
    kind: ChannelKind | None = None
    provider: ChannelProvider | None = None
    address: str | None = Field(None, max_length=120)
    provider_account: str | None = Field(None, max_length=120)
    webhook_secret: str | None = Field(None, max_length=500)
    verify_token: str | None = Field(None, max_length=500)
    api_token: str | None = Field(None, max_length=500)
    time_zone: str | None = Field(None, max_length=64)
    always_open: bool | None = None
    weekly_hours: dict[str, list[Interval]] | None = None
    holidays: list[date] | None = Field(None, max_length=400)
    closed_messages: dict[str, str] | None = None
    approved_templates: list[str] | None = Field(None, max_length=200)
    is_active: bool | None = None


class ChannelOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    provider: str
    address: str
    provider_account: str
    secrets_set: list[str]
    time_zone: str
    always_open: bool
    weekly_hours: dict[str, list[list[str]]]
    holidays: list[str]
    closed_messages: dict[str, str]
    approved_templates: list[str]
    is_active: bool
    webhook_path: str


class MessageIn(Schema):
    to: str = Field(min_length=1, max_length=200)
    text: str = Field("", max_length=4000)
    template: str = Field("", max_length=120)
    params: list[str] = Field(default_factory=list, max_length=20)
    language: str = Field("", max_length=8)


class MessageOut(Schema):
    id: uuid.UUID
    provider_message_id: str


def _out(channel: Channel) -> ChannelOut:
    fields = {name: getattr(channel, name) for name in actions.CHANNEL_FIELDS}
    return ChannelOut(
        id=channel.pk,
        secrets_set=[name for name in actions.SECRET_FIELDS if getattr(channel, name)],
        webhook_path=f"/channels/hooks/{channel.pk}/",
        **fields,
    )


def _settings(data: dict[str, object]) -> dict[str, object]:
    if data.get("holidays") is not None:
        data["holidays"] = [day.isoformat() for day in data["holidays"]]  # type: ignore[attr-defined]
    return data


@router.get("/channels", response=list[ChannelOut], summary="The organisation's channels")
@api_access(CHANNEL_MANAGERS)
def list_channels(request: StaffRequest) -> list[ChannelOut]:
    return [_out(channel) for channel in Channel.objects.visible_to(request.user)]


@router.post("/channels", response={201: ChannelOut}, summary="Set up a channel")
@api_access(CHANNEL_MANAGERS)
def create_channel(request: StaffRequest, payload: ChannelIn) -> Status[ChannelOut]:
    channel = actions.create_channel(
        org=request.org, acting_user=request.user, at=timezone.now(), **_settings(payload.dict())
    )
    return Status(201, _out(channel))


@router.get("/channels/{channel_id}", response=ChannelOut, summary="One channel (secrets are never shown)")
@api_access(CHANNEL_MANAGERS, object_kwargs=("channel_id",))
def get_channel(request: StaffRequest, channel_id: uuid.UUID) -> ChannelOut:
    return _out(get_visible_or_404(Channel.objects.all(), request.user, pk=channel_id))


@router.patch("/channels/{channel_id}", response=ChannelOut, summary="Change a channel's settings")
@api_access(CHANNEL_MANAGERS, object_kwargs=("channel_id",))
def update_channel(request: StaffRequest, channel_id: uuid.UUID, payload: ChannelPatch) -> ChannelOut:
    channel = get_visible_or_404(Channel.objects.select_related("org"), request.user, "change", pk=channel_id)
    changes = {k: v for k, v in _settings(payload.dict(exclude_unset=True)).items() if v is not None}
    actions.update_channel(channel=channel, changes=changes, acting_user=request.user, at=timezone.now())
    return _out(channel)


@router.post(
    "/channels/{channel_id}/messages", response={201: MessageOut}, summary="Send a message or a template"
)
@api_access(SURVIVOR_ROLES, object_kwargs=("channel_id",))
def send_message(request: StaffRequest, channel_id: uuid.UUID, payload: MessageIn) -> Status[MessageOut]:
    channel = get_visible_or_404(Channel.objects.select_related("org"), request.user, "send", pk=channel_id)
    message = actions.send_message(
        channel=channel, acting_user=request.user, at=timezone.now(), **payload.dict()
    )
    return Status(201, MessageOut(id=message.pk, provider_message_id=message.provider_message_id))
