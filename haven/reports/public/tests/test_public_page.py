"""The public figures page: opt-in by an org admin, audited, suppressed, 404 when not published,
in the organisation's language (Persian, right to left) or English."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy

from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.reports.indicators import INDICATORS, Cell, Indicator, Scope, Table
from haven.reports.public.models import PublicPage

SETTINGS_URL = "/reports/public/manage/settings/"
SEEN: list[Scope] = []


def _fixed(code: str, total: int) -> Indicator:
    """An indicator whose total is known in advance; it records the scope it was asked for."""

    def compute(scope: Scope, by: tuple[str, ...]) -> Table:
        SEEN.append(scope)
        return Table(code, by, {}, Cell(total))

    return Indicator(
        code, gettext_lazy("Women helped"), gettext_lazy("Each woman once."), "COUNT", (), compute
    )


@pytest.fixture
def headline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(INDICATORS, "test.women_helped", _fixed("test.women_helped", 1234))
    monkeypatch.setitem(INDICATORS, "test.few", _fixed("test.few", 3))
    SEEN.clear()


def _configure(client: Client, **fields: Any) -> Any:
    return client.post(SETTINGS_URL, fields)


def test_it_publishes_suppresses_audits_and_takes_down(world: World, headline: None) -> None:
    admin = world.client_for(world.members[Role.ORG_ADMIN])
    public = reverse("report_public:figures", kwargs={"org_slug": "home"})
    assert public == "/reports/public/home/"
    assert Client().get(public).status_code == 404  # not opted in yet
    assert b"Not published" in admin.get(SETTINGS_URL).content

    refused = _configure(admin, is_published="on", period_kind="LAST_YEAR")
    assert refused.status_code == 422 and b"at least one headline figure" in refused.content
    assert (
        _configure(admin, is_published="on", indicators="no.such", period_kind="LAST_YEAR").status_code == 422
    )
    assert not PublicPage.objects.exists()

    done = _configure(
        admin, is_published="on", indicators=["test.women_helped", "test.few"], period_kind="LAST_FISCAL_YEAR"
    )
    assert done.status_code == 302
    entry = AuditEntry.objects.get(action="report_public.configure")
    assert entry.fields == ["indicators", "is_published", "period_kind"]
    assert entry.actor_id == world.persona_admin.pk and entry.org_id == world.org.pk

    page = Client().get(public)
    assert page.status_code == 200
    text = page.content.decode()
    assert "1234" in text and "Women helped" in text
    assert text.count("Not shown") == 1 and ">3<" not in text  # 3 women is under the threshold of 5
    assert {scope.period.kind for scope in SEEN} == {"FISCAL_YEAR"} and SEEN[0].org == world.org
    assert b"/reports/public/home/" in admin.get(SETTINGS_URL).content

    # Another organisation has not opted in; it is as unknown as a name that does not exist.
    assert Client().get("/reports/public/elsewhere/").status_code == 404
    assert Client().get("/reports/public/nobody-here/").status_code == 404
    # Only the organisation's admins reach the settings.
    assert world.client_for(world.members[Role.CASEWORKER]).get(SETTINGS_URL).status_code == 403

    assert _configure(admin, indicators=["test.few"], period_kind="LAST_YEAR").status_code == 302
    assert Client().get(public).status_code == 404
    last = AuditEntry.objects.filter(action="report_public.configure").order_by("-seq").first()
    assert last is not None and last.fields == ["indicators", "is_published", "period_kind"]


def test_it_speaks_persian_right_to_left_or_english(world: World, headline: None) -> None:
    world.org.default_language = "fa"
    world.org.save(update_fields=["default_language"])
    admin = world.client_for(world.members[Role.ORG_ADMIN])
    assert (
        _configure(
            admin, is_published="on", indicators="test.women_helped", period_kind="LAST_YEAR"
        ).status_code
        == 302
    )

    persian = Client().get("/reports/public/home/").content.decode()
    assert '<html lang="fa" dir="rtl">' in persian
    assert "۱۲۳۴" in persian and "1234" not in persian
    assert 'hreflang="fa"' in persian and 'hreflang="en"' in persian and 'hreflang="fr"' not in persian
    assert '<option value="fr"' not in persian  # the header's switch offers the same two languages

    english = Client().get("/reports/public/home/?lang=en")
    assert english["Content-Language"] == "en"
    assert '<html lang="en" dir="ltr">' in english.content.decode()
    assert "1234" in english.content.decode()
    # A language the organisation does not publish in falls back to its own.
    assert '<html lang="fa" dir="rtl">' in Client().get("/reports/public/home/?lang=fr").content.decode()
