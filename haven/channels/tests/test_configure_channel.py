"""Managers set channels up in the UI and the API; secrets are stored encrypted and never shown."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from django.db import connection
from django.urls import reverse

from haven.channels import hours
from haven.channels.models import Channel
from haven.channels.tests import factories
from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def _raw_column(channel: Channel, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM channels_channel WHERE id = %s",
            [channel.pk.hex if connection.vendor == "sqlite" else channel.pk],
        )
        return str(cursor.fetchone()[0])


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Hotline SMS",
        "kind": "SMS",
        "provider": "TWILIO",
        "address": "+15145550100",
        "provider_account": "AC" + "1" * 32,
        "webhook_secret": "twilio-auth-token-synthetic",
        "time_zone": "America/Montreal",
        "hours_0": "09:00-12:00, 13:00-17:00",
        "holidays": "2026-12-25\n2026-07-01",
        "closed_en": "We are closed. In danger, call 911.",
        "closed_fr": "Nous sommes fermées. En danger, composez le 911.",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_it_sets_up_a_channel_in_the_ui_with_encrypted_secrets(world: World) -> None:
    client = world.client_for(world.members[Role.CENTRE_MANAGER])
    response = client.post(reverse("channels:create"), _form())
    assert response.status_code == 302
    channel = Channel.objects.get(name="Hotline SMS")
    assert channel.webhook_secret == "twilio-auth-token-synthetic"
    assert "twilio-auth-token" not in _raw_column(channel, "webhook_secret")
    assert channel.weekly_hours == {"0": [["09:00", "12:00"], ["13:00", "17:00"]]}
    assert channel.holidays == ["2026-07-01", "2026-12-25"]
    assert channel.closed_messages["fr"].startswith("Nous sommes")
    assert not channel.always_open
    entry = AuditEntry.objects.get(action="channel.create", object_id=str(channel.pk))
    assert "webhook_secret" in entry.fields and "twilio" not in json.dumps(entry.fields)


def test_it_keeps_a_secret_left_empty_and_never_shows_it(world: World) -> None:
    channel = factories.channel(world.org, "SMS")
    client = world.client_for(world.members[Role.ORG_ADMIN])
    page = client.get(reverse("channels:edit", args=[channel.pk]))
    assert factories.TWILIO_TOKEN not in page.content.decode()
    assert reverse("channels:inbound", args=[channel.pk]) in page.content.decode()
    response = client.post(
        reverse("channels:edit", args=[channel.pk]), _form(name="Renamed", webhook_secret="")
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.name == "Renamed" and channel.webhook_secret == factories.TWILIO_TOKEN


def test_it_refuses_a_provider_that_does_not_offer_the_kind(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    response = client.post(reverse("channels:create"), _form(kind="TELEGRAM"))
    assert response.status_code == 422
    assert "This provider does not offer this kind of channel." in response.content.decode()
    assert not Channel.objects.exists()


def test_it_refuses_malformed_hours_and_holidays(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    response = client.post(reverse("channels:create"), _form(hours_2="9 to 5", holidays="next friday"))
    assert response.status_code == 422
    content = response.content.decode()
    assert "Write opening times like 09:00-17:00" in content and "2026-03-26" in content
    assert not Channel.objects.exists()


def test_it_refuses_staff_who_do_not_manage_sites(world: World) -> None:
    channel = factories.channel(world.org, "SMS")
    client = world.client_for(world.members[Role.HOTLINE_AGENT])
    assert client.get(reverse("channels:list")).status_code == 403
    assert client.get(reverse("channels:edit", args=[channel.pk])).status_code == 403


def test_it_hides_channels_of_other_organisations(world: World) -> None:
    channel = factories.channel(world.org, "SMS")
    client = world.client_for(world.outsider)
    assert client.get(reverse("channels:edit", args=[channel.pk])).status_code == 404
    headers = {"Authorization": f"Bearer {world.token_for(world.outsider)}"}
    assert client.get(f"/api/v1/channels/{channel.pk}", headers=headers).status_code == 404


def test_the_api_sets_up_a_whatsapp_channel_and_says_only_which_secrets_are_set(world: World) -> None:
    headers = {"Authorization": f"Bearer {world.token_for(world.members[Role.ORG_ADMIN])}"}
    body = {
        "name": "WhatsApp chat",
        "kind": "WHATSAPP",
        "provider": "META",
        "address": "+77015550101",
        "provider_account": "106540352242922",
        "webhook_secret": "app-secret",
        "verify_token": "verify",
        "api_token": "EAAG-synthetic",
        "always_open": False,
        "time_zone": "Asia/Almaty",
        "weekly_hours": {"0": [["09:00", "18:00"]], "5": [["10:00", "14:00"]]},
        "holidays": ["2026-03-22"],
        "closed_messages": {"ru": "Мы закрыты.", "kk": "Біз жабықпыз."},
        "approved_templates": ["follow_up_check_in"],
    }
    created = world.client_for(None).post(
        "/api/v1/channels", json.dumps(body), content_type="application/json", headers=headers
    )
    assert created.status_code == 201, created.content
    answer = created.json()
    assert answer["secrets_set"] == ["webhook_secret", "verify_token", "api_token"]
    assert "app-secret" not in created.content.decode()
    patched = world.client_for(None).patch(
        f"/api/v1/channels/{answer['id']}",
        json.dumps({"webhook_secret": "", "is_active": False}),
        content_type="application/json",
        headers=headers,
    )
    assert patched.status_code == 200 and patched.json()["is_active"] is False
    assert Channel.objects.get(pk=answer["id"]).webhook_secret == "app-secret"


def test_the_api_explains_what_a_meta_channel_lacks(world: World) -> None:
    headers = {"Authorization": f"Bearer {world.token_for(world.members[Role.ORG_ADMIN])}"}
    body = {
        "name": "WhatsApp",
        "kind": "WHATSAPP",
        "provider": "META",
        "weekly_hours": {"9": [["09:00", "10:00"]]},
    }
    response = world.client_for(None).post(
        "/api/v1/channels", json.dumps(body), content_type="application/json", headers=headers
    )
    assert response.status_code == 422
    assert {
        "field": "weekly_hours",
        "message": "Weekdays are numbered 0 (Monday) to 6 (Sunday).",
    } in response.json()["errors"]
    body.pop("weekly_hours")
    response = world.client_for(None).post(
        "/api/v1/channels", json.dumps(body), content_type="application/json", headers=headers
    )
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"provider_account", "webhook_secret", "verify_token"}
    assert not Channel.objects.exists()


def test_opening_hours_follow_the_schedule_the_time_zone_and_holidays(world: World) -> None:
    channel = factories.channel(
        world.org,
        "SMS",
        always_open=False,
        time_zone="Asia/Dhaka",
        weekly_hours={"0": [["09:00", "17:00"]]},
        holidays=["2026-03-30"],
    )
    # Monday 2026-03-23, 10:00 in Dhaka is 04:00 UTC.
    assert hours.is_open(channel, datetime(2026, 3, 23, 4, 0, tzinfo=UTC))
    assert not hours.is_open(channel, datetime(2026, 3, 23, 12, 0, tzinfo=UTC))  # 18:00 in Dhaka
    assert not hours.is_open(channel, datetime(2026, 3, 24, 4, 0, tzinfo=UTC))  # Tuesday
    assert not hours.is_open(channel, datetime(2026, 3, 30, 4, 0, tzinfo=UTC))  # a Monday holiday
    channel.always_open = True
    assert hours.is_open(channel, datetime(2026, 3, 30, 4, 0, tzinfo=UTC))


def test_it_refuses_a_region_given_as_a_time_zone_with_a_message(world: World) -> None:
    # "Europe" names a folder of the time zone database, not a zone: opening it must not crash the page.
    client = world.client_for(world.members[Role.ORG_ADMIN])
    response = client.post(reverse("channels:create"), _form(time_zone="Europe"))
    assert response.status_code == 422
    assert "Use a time zone name such as Asia/Dhaka" in response.content.decode()
    headers = {"Authorization": f"Bearer {world.token_for(world.members[Role.ORG_ADMIN])}"}
    body = {"name": "Chat", "kind": "WEBCHAT", "provider": "HAVEN", "time_zone": "America"}
    answer = world.client_for(None).post(
        "/api/v1/channels", json.dumps(body), content_type="application/json", headers=headers
    )
    assert answer.status_code == 422
    assert {error["field"] for error in answer.json()["errors"]} == {"time_zone"}
    assert not Channel.objects.exists()
