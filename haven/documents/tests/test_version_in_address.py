"""`?version=` on a draft's page and its PDF is typed into an address bar: anything that is not a plain
number of a version the draft has is "not found", never a server error (and nothing is recorded as read)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from haven.documents.actions import DRAFT_PRINT, DRAFT_VIEW
from haven.documents.tests.conftest import Setting, draft, make_template
from haven.privacy.models import AuditEntry


@pytest.mark.parametrize("version", ["²", "¹", "1²", "x", "-1", "99999999999999999999"])
@pytest.mark.parametrize("page", ["documents:draft", "documents:draft_pdf"])
def test_a_version_that_is_not_a_plain_number_is_not_found(setting: Setting, page: str, version: str) -> None:
    made = draft(setting, make_template(setting.world, "Application of {{survivor.name}}."))
    client = setting.world.client_for(setting.lawyer)
    response = client.get(reverse(page, args=[made.pk]), {"version": version})
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action__in=[DRAFT_VIEW, DRAFT_PRINT]).exists()


def test_a_plain_version_number_is_shown(setting: Setting) -> None:
    made = draft(setting, make_template(setting.world, "Application of {{survivor.name}}."))
    response = setting.world.client_for(setting.lawyer).get(
        reverse("documents:draft", args=[made.pk]), {"version": "1"}
    )
    assert response.status_code == 200
