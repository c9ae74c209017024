"""What each role finds on its home page. Later issues add panels here as their rooms open."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.benefits.models import PROGRAMME_ROLES
from haven.committees.access import VIEWERS as COMMITTEE_VIEWERS
from haven.directory.models import DIRECTORY_READERS
from haven.orgs.models import Membership
from haven.orgs.roles import ROLES_NOT_KEPT_APART, Role
from haven.people.views import REVIEW_ROLES, SURVIVOR_ROLES
from haven.perpetrators.models import on_team
from haven.reports.dashboards import DASHBOARD_ROLES, REPORT_ROLES
from haven.reports.exports.records import EXPORTING_ROLES
from haven.reports.projects.models import PROJECT_READERS
from haven.risk.config_views import CONFIG_READERS as RISK_SETUP_READERS
from haven.risk.views import SUPERVISOR_ROLES as RISK_SUPERVISORS


@dataclass(frozen=True)
class Panel:
    title: Promise
    text: Promise
    url_name: str


_SITES = Panel(
    _("Sites"), _("Shelters, centres, helplines and offices of your organisation."), "orgs:site_list"
)
_AREAS = Panel(_("Areas"), _("The administrative geography your organisation works in."), "orgs:area_list")
_STAFF = Panel(_("Staff"), _("Add staff, set their role and site, switch accounts off."), "orgs:staff_list")
_SECURITY = Panel(
    _("Security"), _("Languages, calendar and who must use an authenticator app."), "orgs:settings"
)
_RETENTION = Panel(
    _("Retention"), _("How long finished records are kept, and what is purged then."), "retention:policies"
)
_TOKENS = Panel(
    _("API tokens"), _("Keys for scripts and other systems to use Haven's API."), "accounts:tokens"
)
_PEOPLE = Panel(
    _("People"),
    _("Find a woman who came before, register a new person, see how to contact her safely."),
    "people:search",
)
_CASES = Panel(
    _("Cases"),
    _("The cases you work on: their status, incidents and what happened when."),
    "cases:list",
)
_TASKS = Panel(
    _("My tasks"),
    _("Your follow-ups across your cases: what is overdue, due today and coming up."),
    "cases:my_tasks",
)
_DUPLICATES = Panel(
    _("Possible duplicates"),
    _("Records that may describe the same woman: compare them, merge them or keep them apart."),
    "people:duplicates",
)
_INCOMING = Panel(
    _("Incoming referrals"),
    _("Referrals addressed to you or your organisation: accept or decline them."),
    "referrals:incoming",
)
_DIRECTORY = Panel(
    _("Directory"),
    _("Service providers to refer women to: what they offer, languages, hours and areas."),
    "directory:list",
)
_RISK_ALERTS = Panel(
    _("Risk alerts"),
    _("High-danger screens that asked for a supervisor: read them and acknowledge."),
    "risk:alerts",
)
_HOTLINE = Panel(
    _("Queue board"),
    _("Calls and chats waiting, your contacts, callbacks; for supervisors the answer times."),
    "hotline:board",
)
_ESCALATION_RULES = Panel(
    _("Escalation rules"),
    _("What a high-danger screen sets in motion: a dispatch offer, a supervisor's alert, a follow-up."),
    "risk:rules",
)
_SCORING_SHEETS = Panel(
    _("Scoring sheets"),
    _("The certified weights and cut-offs of the Danger Assessment, and which sheet is in force."),
    "risk:sheets",
)
_DISPATCH_TARGETS = Panel(
    _("Dispatch targets"),
    _("How fast mobile teams must be sent and arrive, and how the last 30 days measured up."),
    "dispatch:targets",
)
_SHELTERS = Panel(
    _("Shelters and centres"),
    _("Rooms and beds, today's residents, the waitlist and occupancy figures."),
    "shelters:facilities",
)
_FIND_A_BED = Panel(
    _("Find a free bed"),
    _("Free beds across your shelter network, and a hold for a household on its way."),
    "shelters:availability",
)
_MY_SESSIONS = Panel(
    _("My sessions"),
    _("Counselling sessions you held, with notes still to write."),
    "counselling:my_sessions",
)
_NOTES_ACCESS = Panel(
    _("Who reads counselling notes"),
    _("Choose which roles, besides the counsellor, read session notes."),
    "counselling:notes_access",
)
_COMMITTEES = Panel(
    _("Committees"),
    _("Coordination committees: members, meetings, cases tabled and actions due."),
    "committees:list",
)
_PERPETRATOR_PROGRAMME = Panel(
    _("Perpetrator programme"),
    _("Participants, their sessions, ODARA and completion; kept apart from survivors' files."),
    "perpetrators:list",
)
_PROGRAMME_TEAM = Panel(
    _("Programme team"),
    _("Who works in the perpetrator programme and reads its files."),
    "perpetrators:team",
)
_GROUPS = Panel(
    _("Group work and campaigns"),
    _("Groups, classes and trainings, who came, and awareness campaigns."),
    "groups:activities",
)
_LEGAL_MATTERS = Panel(_("Legal matters"), _("Matters, their status and next hearings."), "legal:matters")
_MY_CALENDAR = Panel(
    _("My calendar"), _("Your hearings and consultations, and a calendar address."), "legal:my_calendar"
)
_ADVOCATES = Panel(
    _("Advocates panel"), _("Lawyers, their languages, areas and workload."), "legal:advocates"
)
_SUPPORTERS = Panel(
    _("Supporters and donations"), _("Supporters, gifts, receipts and restricted funds."), "supporters:list"
)
_DONATION_TOTALS = Panel(
    _("Donation totals"),
    _("What was given this year, per currency, and the balance of each donor project."),
    "supporters:totals",
)
_DOCUMENT_TEMPLATES = Panel(
    _("Document templates"),
    _("Your organisation's forms for protection orders, police complaints and more, per language."),
    "documents:templates",
)
_REPORTS = Panel(
    _("Reports"),
    _("Figures for any period and area in your calendar, compared with the period before."),
    "reports:list",
)
_DASHBOARD = Panel(
    _("Dashboard"),
    _("This month's and this year's headline figures and charts, ready to print."),
    "reports:dashboard",
)
_PREFERENCES = Panel(
    _("Language and calendar"), _("How Haven speaks to you and writes dates."), "accounts:preferences"
)
_PUBLIC_FIGURES = Panel(
    _("Public figures page"),
    _("Publish headline figures on a page anyone can read, with small figures hidden."),
    "report_public:settings",
)
# Social-protection programmes (benefits, microcredit, associations, training): programme staff only.
_PROGRAMMES = Panel(
    _("Programmes"),
    _("Benefit programmes, their rules, monthly cycles and exits."),
    "benefits:programme_list",
)
_REGISTRY = Panel(
    _("Beneficiary registry"),
    _("Women in the registry, by area; find one by NID or mobile."),
    "benefits:beneficiary_list",
)
_REGISTRY_IMPORTS = Panel(
    _("Registry imports"),
    _("Load a CSV or Excel register, with checks and duplicates found."),
    "imports:list",
)
_APPLICATIONS = Panel(
    _("Applications and selection"),
    _("Applications, quotas, selection lists, committee review and objections."),
    "selection:applications",
)
_DISTRIBUTION = Panel(
    _("Food distribution"),
    _("Distribution points, stock and rations issued against cards."),
    "distribution:points",
)
_PAYMENTS = Panel(
    _("Cash payments"), _("Payment batches, provider files and reconciliation."), "payments:index"
)
_GRIEVANCES = Panel(
    _("Grievances"),
    _("Complaints about the programmes, their deadlines, decisions and appeals."),
    "grievances:list",
)
_LOANS = Panel(_("Microcredit"), _("Loan products, loans, repayments, arrears and PAR 30."), "loans:list")
_ASSOCIATIONS = Panel(
    _("Women's associations"), _("Registration, renewal, grading and annual grants."), "associations:list"
)
_ENTREPRENEURS = Panel(
    _("Women entrepreneurs"),
    _("Entrepreneurs, their products, stalls and sales."),
    "associations:entrepreneurs",
)
_TRAINING = Panel(
    _("Training centres"), _("Trade courses, batches, the register, exams and certificates."), "training:list"
)
_SHARING = Panel(
    _("Statistics-sharing networks"),
    _("Monthly aggregate submissions to a network and the consolidated reports it sends back."),
    "report_sharing:index",
)
_DHIS2 = Panel(_("DHIS2 export"), _("Map figures to DHIS2 and download a data value set."), "dhis2:index")
_PROJECTS = Panel(
    _("Donor projects"),
    _("Targets of each donor project and progress from the records."),
    "report_projects:list",
)
_RECORD_EXPORTS = Panel(
    _("Record exports"),
    _("Lists of records for your own use, in a password-locked file."),
    "report_exports:records",
)
PROGRAMME_PANELS = (
    _PROGRAMMES,
    _REGISTRY,
    _REGISTRY_IMPORTS,
    _APPLICATIONS,
    _DISTRIBUTION,
    _PAYMENTS,
    _GRIEVANCES,
    _LOANS,
    _ASSOCIATIONS,
    _ENTREPRENEURS,
    _TRAINING,
)


def home_panels(membership: Membership) -> list[Panel]:
    role = membership.role_enum
    panels = _survivor_work_panels(role) + _programme_panels(membership)
    if role.manages_org:
        panels += [_STAFF, _SITES, _AREAS, _SECURITY, _RETENTION, _PUBLIC_FIGURES]
    elif role.manages_sites:
        panels += [_SITES, _AREAS]
    elif role in ROLES_NOT_KEPT_APART:
        panels += [_SITES]
    panels += _report_panels(role)
    panels += [_PROJECTS] if role in PROJECT_READERS else []
    panels += [_RECORD_EXPORTS] if role in EXPORTING_ROLES else []
    return [*panels, _PREFERENCES, _TOKENS]


def _report_panels(role: Role) -> list[Panel]:
    panels = [_DASHBOARD] if role in DASHBOARD_ROLES else []
    return [*panels, _REPORTS] if role in REPORT_ROLES else panels


def _programme_panels(membership: Membership) -> list[Panel]:
    """The rooms beside the survivors' files: legal aid, counselling, groups, committees, the programme
    for men who use violence, and the social-protection programmes."""
    role = membership.role_enum
    panels = [_MY_SESSIONS] if role is Role.COUNSELLOR else []
    if role in (Role.LAWYER, Role.CASEWORKER, Role.CENTRE_MANAGER):
        panels.append(_LEGAL_MATTERS)
    if role is Role.LAWYER:
        panels.append(_MY_CALENDAR)
    if role in (Role.ORG_ADMIN, Role.CENTRE_MANAGER, Role.LAWYER):
        panels += [_ADVOCATES, _DOCUMENT_TEMPLATES]
    if role in ROLES_NOT_KEPT_APART:
        panels.append(_GROUPS)
    if role in COMMITTEE_VIEWERS:
        panels.append(_COMMITTEES)
    if on_team(membership):
        panels.append(_PERPETRATOR_PROGRAMME)
    if role.manages_org:
        panels += [_NOTES_ACCESS, _PROGRAMME_TEAM]
    if role in (Role.FUNDRAISER, Role.ORG_ADMIN):
        panels.append(_SUPPORTERS)
    if role in (Role.FUNDRAISER, Role.ORG_ADMIN, Role.CENTRE_MANAGER):
        panels.append(_DONATION_TOTALS)
    if role in PROGRAMME_ROLES:
        panels += PROGRAMME_PANELS
    if role in (Role.DATA_OFFICER, Role.ORG_ADMIN):
        panels += [_SHARING, _DHIS2]
    return panels


def _survivor_work_panels(role: Role) -> list[Panel]:
    panels: list[Panel] = [_PEOPLE, _CASES] if role.works_with_survivors else []
    if role in SURVIVOR_ROLES:
        panels.append(_TASKS)
    if role in REVIEW_ROLES:
        panels.append(_DUPLICATES)
    if role in SURVIVOR_ROLES:
        panels.append(_INCOMING)
    if role.works_with_survivors:
        panels.append(_HOTLINE)
    if role in RISK_SUPERVISORS:
        panels.append(_RISK_ALERTS)
    if role in DIRECTORY_READERS:
        panels.append(_DIRECTORY)
    if role in RISK_SETUP_READERS:
        panels += [_ESCALATION_RULES, _SCORING_SHEETS]
    if role in SURVIVOR_ROLES:
        panels.append(_FIND_A_BED)
    if role.works_with_survivors or role.manages_sites:
        panels.append(_SHELTERS)
    if role.manages_sites:
        panels.append(_DISPATCH_TARGETS)
    return panels
