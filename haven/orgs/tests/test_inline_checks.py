"""Inline checks (htmx, on each change) judge what was typed and never write, on every form page."""

from __future__ import annotations

from django.urls import reverse

from haven.conftest import World
from haven.orgs.models import Site
from haven.orgs.roles import Role

HTMX = {"HX-Request": "true"}


def test_an_inline_check_of_a_complete_form_saves_nothing(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    before = Site.objects.count()

    response = client.post(
        reverse("orgs:site_create"),
        {"name": "Checked only", "kind": "OFFICE", "_validate": "1"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert Site.objects.count() == before
    html = response.content.decode()
    assert 'id="id_name_errors" hx-swap-oob="true"' in html and "<input" not in html


def test_an_inline_check_flags_what_was_typed_and_spares_fields_not_reached(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    response = client.post(
        reverse("orgs:site_create"), {"kind": "PALACE", "name": "", "_validate": "1"}, headers=HTMX
    )
    html = response.content.decode()
    kind_slot = html[html.index('id="id_kind_errors"') :].split("</span>\n", 1)[0]
    name_slot = html[html.index('id="id_name_errors"') :].split("</span>\n", 1)[0]
    assert "Select a valid choice" in kind_slot
    assert "required" not in name_slot


def test_without_htmx_the_same_post_is_a_real_submit(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    response = client.post(reverse("orgs:site_create"), {"name": "Saved", "kind": "OFFICE", "_validate": "1"})
    assert response.status_code == 302
    assert Site.objects.filter(name="Saved").exists()
