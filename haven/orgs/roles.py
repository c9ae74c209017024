"""Staff roles. Each role carries what it may do, so access rules ask the role, never compare names."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RoleTraits:
    description: Promise
    manages_org: bool = False
    manages_sites: bool = False
    # Shelter and safe-house addresses are the most dangerous data Haven holds.
    sees_confidential_addresses: bool = False
    works_with_survivors: bool = True


class Role(models.TextChoices):
    ORG_ADMIN = "ORG_ADMIN", _("Organisation administrator")
    CENTRE_MANAGER = "CENTRE_MANAGER", _("Centre manager")
    CASEWORKER = "CASEWORKER", _("Caseworker")
    COUNSELLOR = "COUNSELLOR", _("Counsellor")
    LAWYER = "LAWYER", _("Lawyer")
    NURSE = "NURSE", _("Nurse or paramedic")
    CHILD_EDUCATOR = "CHILD_EDUCATOR", _("Child educator")
    HOTLINE_AGENT = "HOTLINE_AGENT", _("Hotline agent")
    MOBILE_TEAM = "MOBILE_TEAM", _("Mobile-team member")
    SHELTER_MANAGER = "SHELTER_MANAGER", _("Shelter manager")
    PROGRAMME_OFFICER = "PROGRAMME_OFFICER", _("Programme officer")
    DATA_OFFICER = "DATA_OFFICER", _("Data officer")
    COMPUTER_OPERATOR = "COMPUTER_OPERATOR", _("Computer operator")
    PERPETRATOR_WORKER = "PERPETRATOR_WORKER", _("Perpetrator-programme worker")
    FUNDRAISER = "FUNDRAISER", _("Fundraiser")

    @property
    def traits(self) -> RoleTraits:
        return _TRAITS[self]

    @property
    def description(self) -> Promise:
        return self.traits.description

    @property
    def manages_org(self) -> bool:
        return self.traits.manages_org

    @property
    def manages_sites(self) -> bool:
        return self.traits.manages_sites

    @property
    def sees_confidential_addresses(self) -> bool:
        return self.traits.sees_confidential_addresses

    @property
    def works_with_survivors(self) -> bool:
        return self.traits.works_with_survivors

    @classmethod
    def working_with_survivors(cls) -> frozenset[Role]:
        return frozenset(role for role in cls if role.works_with_survivors)

    @classmethod
    def managing_sites(cls) -> frozenset[Role]:
        return frozenset(role for role in cls if role.manages_sites)

    @classmethod
    def managing_org(cls) -> frozenset[Role]:
        return frozenset(role for role in cls if role.manages_org)


_TRAITS: dict[Role, RoleTraits] = {
    Role.ORG_ADMIN: RoleTraits(
        _("Runs the organisation's set-up: sites, areas, staff and security."),
        manages_org=True,
        manages_sites=True,
        sees_confidential_addresses=True,
        works_with_survivors=False,
    ),
    Role.CENTRE_MANAGER: RoleTraits(
        _("Leads a centre: its staff, its cases and its figures."),
        manages_sites=True,
        sees_confidential_addresses=True,
    ),
    Role.CASEWORKER: RoleTraits(
        _("Supports survivors through their case: plans, services, referrals and follow-up."),
        sees_confidential_addresses=True,
    ),
    Role.COUNSELLOR: RoleTraits(_("Gives psychological support to survivors and families.")),
    Role.LAWYER: RoleTraits(_("Gives legal advice, drafts documents and represents clients in court.")),
    Role.NURSE: RoleTraits(_("Gives first medical care and records health needs.")),
    Role.CHILD_EDUCATOR: RoleTraits(_("Works with children: activities, homework help and their safety.")),
    Role.HOTLINE_AGENT: RoleTraits(_("Answers calls and chats, screens risk and calls back.")),
    Role.MOBILE_TEAM: RoleTraits(
        _("Goes out to reach women in danger and brings them to safety."),
        sees_confidential_addresses=True,
    ),
    Role.SHELTER_MANAGER: RoleTraits(
        _("Runs a shelter: rooms, beds, stays and the waitlist."),
        manages_sites=True,
        sees_confidential_addresses=True,
    ),
    Role.PROGRAMME_OFFICER: RoleTraits(
        _("Runs benefit programmes: applications, selection, cycles and distributions."),
        works_with_survivors=False,
    ),
    Role.DATA_OFFICER: RoleTraits(
        _("Prepares statistics and reports; sees figures, not files."),
        works_with_survivors=False,
    ),
    Role.COMPUTER_OPERATOR: RoleTraits(
        _("Enters records and keeps the registers up to date."),
        works_with_survivors=False,
    ),
    # Works with men who use violence. Kept off survivor data entirely: a counsellor who works on both
    # sides holds a survivor-side role and is added to the programme's team instead.
    Role.PERPETRATOR_WORKER: RoleTraits(
        _("Works with men in the perpetrator programme; sees no survivor data."),
        works_with_survivors=False,
    ),
    Role.FUNDRAISER: RoleTraits(
        _("Looks after supporters, donations and receipts; sees no survivor data."),
        works_with_survivors=False,
    ),
}

ALL_ROLES: frozenset[Role] = frozenset(Role)

KEPT_APART_ROLES: frozenset[Role] = frozenset({Role.PERPETRATOR_WORKER, Role.FUNDRAISER})
"""Roles kept away from everything that touches survivors, even what other back-office roles may read
(a shelter's name and area, the mobile teams, a flagged pair of identities): their work is with the men
of the perpetrator programme or with donors, and nothing there may lead to a woman or where she is."""

ROLES_NOT_KEPT_APART: frozenset[Role] = ALL_ROLES - KEPT_APART_ROLES
