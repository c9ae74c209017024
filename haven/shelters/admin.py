"""Shelter networks are set up by the installation's operator: which organisations may see each other's
free beds. Each organisation still decides, facility by facility, whether to show them
(`Facility.shares_availability`), so a network shows nothing an organisation did not agree to show."""

from __future__ import annotations

from django.contrib import admin

from haven.orgs.admin import OperatorOnlyAdmin
from haven.shelters.models import ShelterNetwork


@admin.register(ShelterNetwork)
class ShelterNetworkAdmin(OperatorOnlyAdmin):
    list_display = ("name",)
    filter_horizontal = ("members",)
