"""A lawyer who leaves (her membership ended, or her account switched off) may still have the calendar
address in the phone she takes with her: the address stops answering (404), like a revoked one, so the
times and courts of the hearings a woman attends do not keep reaching someone no longer on the staff."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse

from haven.legal import actions
from haven.legal.tests.conftest import Legal, hearing_on, open_matter


def _feed_url(legal: Legal) -> str:
    _feed, token = actions.create_calendar_feed(advocate=legal.in_house, acting_user=None, at=legal.at)
    return reverse("legal:feed", args=[token])


def test_the_address_stops_when_her_membership_ends(legal: Legal) -> None:
    matter = open_matter(legal.case, legal.at, advocate=legal.in_house)
    hearing_on(matter, legal.at + timedelta(days=5), legal.at)
    url = _feed_url(legal)
    assert Client().get(url).status_code == 200
    legal.lawyer.is_active = False
    legal.lawyer.save(update_fields=["is_active"])
    assert Client().get(url).status_code == 404


def test_the_address_stops_when_her_account_is_switched_off(legal: Legal) -> None:
    url = _feed_url(legal)
    assert Client().get(url).status_code == 200
    user = legal.lawyer.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert Client().get(url).status_code == 404


def test_an_external_advocates_address_still_answers(legal: Legal) -> None:
    _feed, token = actions.create_calendar_feed(advocate=legal.external, acting_user=None, at=legal.at)
    assert Client().get(reverse("legal:feed", args=[token])).status_code == 200
