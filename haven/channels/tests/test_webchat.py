"""The survivor webchat: public, in her language, quick exit explained, messages in the same pipeline."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haven.channels import intake
from haven.channels.actions import send_message
from haven.channels.models import InboundEvent
from haven.channels.tests import factories
from haven.conftest import World


def _page(world: World) -> str:
    return reverse("chat:page", args=[world.org.slug])


def test_the_page_explains_quick_exit_and_loads_no_third_party_script(world: World) -> None:
    factories.channel(world.org, "WEBCHAT")
    page = Client().get(_page(world))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="quick-exit"' in html and "It does not delete your browser history" in html
    scripts = [part.split('"')[1] for part in html.split("<script src=")[1:]]
    assert scripts and all(src.startswith("/static/") for src in scripts)


def test_the_page_speaks_the_visitors_language(world: World) -> None:
    factories.channel(world.org, "WEBCHAT")
    page = Client(headers={"accept-language": "ar"}).get(_page(world))
    assert 'lang="ar" dir="rtl"' in page.content.decode()


def test_her_message_is_stored_once_and_the_reply_shows_only_to_her(world: World) -> None:
    channel = factories.channel(world.org, "WEBCHAT")
    her = Client()
    form = {"text": "I am scared to go home tonight", "message_id": "7f1c"}
    assert her.post(_page(world), form).status_code == 302
    assert her.post(_page(world), form).status_code == 302  # a double submit
    event = InboundEvent.objects.get()
    assert event.channel == channel and event.body == "I am scared to go home tonight"
    send_message(
        channel=channel,
        to=event.sender,
        text="We are here. Are you safe right now?",
        acting_user=None,
        at=timezone.now(),
    )
    mine = her.get(_page(world)).content.decode()
    assert "I am scared to go home tonight" in mine and "We are here. Are you safe right now?" in mine
    someone_else = Client().get(_page(world)).content.decode()
    assert "I am scared" not in someone_else and "We are here" not in someone_else


def test_a_forged_session_cookie_does_not_open_her_conversation(world: World) -> None:
    factories.channel(world.org, "WEBCHAT")
    her = Client()
    her.post(_page(world), {"text": "hello", "message_id": "1"})
    stranger = Client()
    stranger.cookies["haven_chat"] = her.cookies["haven_chat"].value.rsplit(":", 1)[0] + ":forged"
    assert "hello" not in stranger.get(_page(world)).content.decode()


def test_an_empty_message_is_refused_and_an_org_without_webchat_has_no_page(world: World) -> None:
    factories.channel(world.org, "WEBCHAT")
    refused = Client().post(_page(world), {"text": "  "})
    assert (
        refused.status_code == 422 and "Write a message of up to 2000 characters." in refused.content.decode()
    )
    assert not InboundEvent.objects.exists()
    assert Client().get(reverse("chat:page", args=[world.other_org.slug])).status_code == 404
    assert Client().get(reverse("chat:page", args=["no-such-org"])).status_code == 404


def test_a_tampered_message_id_is_replaced_and_the_message_stored_not_spooled(world: World) -> None:
    # PostgreSQL refuses a NUL in a text column: the message went to the spool instead, and its file then
    # stopped every replay of the spool behind it.
    factories.channel(world.org, "WEBCHAT")
    response = Client().post(_page(world), {"text": "Are you there?", "message_id": "7f1c\x00"})
    assert response.status_code == 302
    event = InboundEvent.objects.get()
    assert event.body == "Are you there?" and "\x00" not in event.provider_message_id
    assert not intake.spool_dir().exists() or not any(intake.spool_dir().iterdir())
