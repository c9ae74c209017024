"""A report's figures as a DHIS2 dataValueSets payload: mappings, periods, suppression, missing elements."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from haven.conftest import World
from haven.orgs.actions import create_area
from haven.orgs.models import Area
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.reports.dhis2 import actions
from haven.reports.periods import parse_period
from haven.reports.sharing.tests import helpers

UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")
DHIS2_PERIOD = re.compile(r"^\d{4}(\d{2}|Q[1-4]|S[12]|July)?$")
INDICATOR = "sharing_test.incidents"


def assert_data_value_set(payload: dict[str, Any]) -> None:
    """The shape DHIS2's /api/dataValueSets accepts: required keys, types, period format and ids."""
    assert set(payload) <= {"dataSet", "period", "orgUnit", "completeDate", "dataValues"}
    assert isinstance(payload["dataValues"], list) and payload["dataValues"]
    assert DHIS2_PERIOD.match(payload["period"])
    for key in ("dataSet", "orgUnit"):
        assert key not in payload or UID.match(payload[key])
    for item in payload["dataValues"]:
        assert (
            {"dataElement", "period", "orgUnit", "value"}
            <= set(item)
            <= {
                "dataElement",
                "period",
                "orgUnit",
                "categoryOptionCombo",
                "attributeOptionCombo",
                "value",
                "comment",
            }
        )
        assert all(isinstance(value, str) for value in item.values())
        assert item["period"] == payload["period"]
        for key in ("dataElement", "orgUnit", "categoryOptionCombo"):
            assert key not in item or UID.match(item[key]), item


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2025-03", "202503"),
        ("2025", "2025"),
        ("2025-Q1", "2025Q1"),
        ("2025-H2", "2025S2"),
        ("FY2024", "2024July"),
    ],
)
def test_it_writes_periods_the_dhis2_way(code: str, expected: str) -> None:
    assert actions.dhis2_period(parse_period(code)) == expected


@pytest.mark.parametrize("code", ["SH1403-05", "BN1431", "2025-01-01..2025-01-31"])
def test_it_refuses_periods_dhis2_has_no_code_for(code: str) -> None:
    with pytest.raises(ValidationError, match="DHIS2 takes"):
        actions.dhis2_period(parse_period(code))


@pytest.mark.django_db
def test_it_exports_mapped_suppressed_figures_and_refuses_missing_elements(world: World) -> None:
    org, at, month = world.org, timezone.now(), helpers.last_month()
    day = month.start + timedelta(days=3)
    helpers.incidents(org, count=6, on=day, area=world.district, place="HOME", name="Nadia Example")
    helpers.incidents(org, count=2, on=day, area=world.district, place="STREET", name="Nadia Example")
    common: dict[str, Any] = {"org": org, "acting_user": None, "at": at}
    export = {"report_code": helpers.REPORT, "period_code": month.code, "data_set": "pBOMPrpg1QX", **common}

    with pytest.raises(ValidationError, match="org units first"):
        actions.export_data_value_set(**export)
    actions.add_org_unit_mapping(area=None, org_unit="ImspTQPwCqd", **common)
    with pytest.raises(ValidationError, match=INDICATOR):
        actions.export_data_value_set(**export)
    actions.add_element_mapping(indicator=INDICATOR, data_element="fbfJHSPpUQD", **common)
    actions.add_element_mapping(
        indicator=INDICATOR,
        dimension=helpers.PLACE,
        value="HOME",
        data_element="cYeuwXTCPkU",
        category_option_combo="Prlt0C1RF0s",
        **common,
    )
    # STREET occurs in the figures but has no element: refused, naming it, and nothing is produced.
    with pytest.raises(ValidationError) as refused:
        actions.export_data_value_set(**export)
    assert f"{INDICATOR} {helpers.PLACE}=STREET" in str(refused.value)
    assert not AuditEntry.objects.filter(action="dhis2.export").exists()

    actions.add_element_mapping(
        indicator=INDICATOR,
        dimension=helpers.PLACE,
        value="STREET",
        data_element="cYeuwXTCPkU",
        category_option_combo="psbwp3CQEhs",
        **common,
    )
    payload, withheld = actions.export_data_value_set(**export)
    assert_data_value_set(payload)
    assert payload["dataSet"] == "pBOMPrpg1QX" and payload["orgUnit"] == "ImspTQPwCqd"
    values = {(v["dataElement"], v.get("categoryOptionCombo")): v["value"] for v in payload["dataValues"]}
    assert values[("fbfJHSPpUQD", None)] == "8"
    assert ("cYeuwXTCPkU", "psbwp3CQEhs") not in values  # 2 women: under the threshold, withheld
    assert withheld >= 1
    assert AuditEntry.objects.filter(action="dhis2.export", org=org).count() == 1

    for bad in ({"data_element": "1abcdefghij"}, {"data_element": "short"}, {"category_option_combo": "x!"}):
        fields: dict[str, Any] = {"indicator": INDICATOR, "data_element": "fbfJHSPpUQD", **bad}
        with pytest.raises(ValidationError, match="11 letters"):
            actions.add_element_mapping(dimension=helpers.PLACE, value="SCHOOL", **fields, **common)
    with pytest.raises(ValidationError, match="already has an org unit"):
        actions.add_org_unit_mapping(area=None, org_unit="ImspTQPwCqd", **common)

    # The same payload through the API, and the download from the page; refusals are 422 / a message.
    officer = world.members[Role.DATA_OFFICER]
    headers = {"Authorization": f"Bearer {world.token_for(officer)}"}
    body = {"report": helpers.REPORT, "period": month.code}
    answer = Client().post(
        "/api/v1/dhis2/data-value-sets", json.dumps(body), "application/json", headers=headers
    )
    assert answer.status_code == 200
    assert_data_value_set(answer.json())
    body["period"] = "SH1403-05"
    answer = Client().post(
        "/api/v1/dhis2/data-value-sets", json.dumps(body), "application/json", headers=headers
    )
    assert answer.status_code == 422 and "DHIS2 takes" in answer.json()["errors"][0]["message"]
    page = world.client_for(officer).get(
        "/reports/dhis2/data-value-set.json", {"report_code": helpers.REPORT, "period_code": month.code}
    )
    assert page.status_code == 200 and "attachment" in page["Content-Disposition"]
    assert_data_value_set(json.loads(page.content))


def _map_total_and_places(common: dict[str, Any], combos: dict[str, str]) -> None:
    """The test indicator's total, and each place of ``combos`` under its category option combo."""
    actions.add_element_mapping(indicator=INDICATOR, data_element="fbfJHSPpUQD", **common)
    for place, combo in combos.items():
        actions.add_element_mapping(
            indicator=INDICATOR,
            dimension=helpers.PLACE,
            value=place,
            data_element="cYeuwXTCPkU",
            category_option_combo=combo,
            **common,
        )


@pytest.mark.django_db
def test_a_withheld_area_cannot_be_recovered_from_the_organisation_total(world: World) -> None:
    """Org unit 9, district 7, its neighbour 2: the 2 is withheld, and so is the 7 (9 - 7 gives 2)."""
    org, at, month = world.org, timezone.now(), helpers.last_month()
    day = month.start + timedelta(days=3)
    neighbour = create_area(
        org=org,
        name="Laval",
        level=Area.Level.DISTRICT,
        parent=world.district.parent,
        acting_user=None,
        at=at,
    )
    helpers.incidents(org, count=7, on=day, area=world.district, place="HOME", name="Nadia Example")
    helpers.incidents(org, count=2, on=day, area=neighbour, place="HOME", name="Nadia Example")
    common: dict[str, Any] = {"org": org, "acting_user": None, "at": at}
    actions.add_org_unit_mapping(area=None, org_unit="ImspTQPwCqd", **common)
    actions.add_org_unit_mapping(area=world.district, org_unit="O6uvpzGd5pu", **common)
    actions.add_org_unit_mapping(area=neighbour, org_unit="fdc6uOvgoji", **common)
    _map_total_and_places(common, {"HOME": "Prlt0C1RF0s", "STREET": "psbwp3CQEhs"})

    payload, withheld = actions.export_data_value_set(
        report_code=helpers.REPORT, period_code=month.code, **common
    )

    assert_data_value_set(payload)
    totals = {v["orgUnit"]: v["value"] for v in payload["dataValues"] if v["dataElement"] == "fbfJHSPpUQD"}
    assert totals == {"ImspTQPwCqd": "9"}  # neither district's total can be shown beside the 9
    home = {
        v["orgUnit"]: v["value"]
        for v in payload["dataValues"]
        if v.get("categoryOptionCombo") == "Prlt0C1RF0s"
    }
    assert home == {"ImspTQPwCqd": "9"}
    assert withheld == 4  # each district's total and its HOME cell


@pytest.mark.django_db
def test_what_lies_outside_the_mapped_areas_cannot_be_worked_out_either(world: World) -> None:
    """Org unit 9, its one mapped district 7, 2 with no area: showing 9 and 7 would give the 2 away."""
    org, at, month = world.org, timezone.now(), helpers.last_month()
    day = month.start + timedelta(days=3)
    helpers.incidents(org, count=7, on=day, area=world.district, place="HOME", name="Nadia Example")
    helpers.incidents(org, count=2, on=day, area=None, place="HOME", name="Nadia Example")
    common: dict[str, Any] = {"org": org, "acting_user": None, "at": at}
    actions.add_org_unit_mapping(area=None, org_unit="ImspTQPwCqd", **common)
    actions.add_org_unit_mapping(area=world.district, org_unit="O6uvpzGd5pu", **common)
    _map_total_and_places(common, {"HOME": "Prlt0C1RF0s"})

    payload, withheld = actions.export_data_value_set(
        report_code=helpers.REPORT, period_code=month.code, **common
    )

    totals = {v["orgUnit"]: v["value"] for v in payload["dataValues"] if v["dataElement"] == "fbfJHSPpUQD"}
    assert totals == {"ImspTQPwCqd": "9"}  # the district's 7 is withheld: 9 - 7 would be the 2
    assert withheld == 2  # the district's total and its HOME cell


@pytest.mark.django_db
def test_records_where_the_dimension_was_not_recorded_map_to_a_dash(world: World) -> None:
    org, month = world.org, helpers.last_month()
    day = month.start + timedelta(days=3)
    helpers.incidents(org, count=6, on=day, area=world.district, place="HOME", name="Nadia Example")
    helpers.incidents(org, count=7, on=day, area=None, place="HOME", name="Nadia Example")
    common: dict[str, Any] = {"org": org, "acting_user": None, "at": timezone.now()}
    export = {"report_code": helpers.REPORT, "period_code": month.code, **common}
    actions.add_org_unit_mapping(area=None, org_unit="ImspTQPwCqd", **common)
    actions.add_element_mapping(indicator=INDICATOR, data_element="fbfJHSPpUQD", **common)
    for area, combo in ((str(world.district.pk), "Prlt0C1RF0s"), ("-", "psbwp3CQEhs")):
        actions.add_element_mapping(
            indicator=INDICATOR,
            dimension="area",
            value=area,
            data_element="cYeuwXTCPkU",
            category_option_combo=combo,
            **common,
        )

    payload, _withheld = actions.export_data_value_set(**export)

    values = {(v["dataElement"], v.get("categoryOptionCombo")): v["value"] for v in payload["dataValues"]}
    assert values == {
        ("fbfJHSPpUQD", None): "13",
        ("cYeuwXTCPkU", "Prlt0C1RF0s"): "6",
        ("cYeuwXTCPkU", "psbwp3CQEhs"): "7",
    }
