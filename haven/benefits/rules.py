"""Programme rules as data: eligibility, priority score and exclusions, compiled to SQL and judged in Python.

A rule set is three JSON lists (stored on `RuleSet`):

* ``eligibility``: rules that must all pass. A rule is a condition with a ``name`` (and an optional
  ``label``). A condition is a comparison ``{"field": "age", "op": "between", "value": [20, 50]}`` or a
  combination ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": {...}}``.
* ``priority``: weighted conditions ``{"name": "landless", "points": 30, "field": ..., "op": ..., ...}``;
  a beneficiary's score is the sum of the points of the conditions she meets.
* ``exclusions``: ``{"name": ..., "kind": ...}`` with the kinds in `EXCLUSIONS`: enrolled in another
  programme, enrolled in this one recently, another member of her household holds a card here.

One source of truth for meaning: each field in `FIELDS` turns a comparison into a small tree of
primitive tests on columns (`Test`, `Within`, `AllOf`, `AnyOf`, `Not`). The same tree becomes a `Q` for
the bulk path (`condition_q`) and is evaluated on one beneficiary's loaded row for explanations
(`evaluate`). Comparisons are two-valued: a test on a value that is not recorded fails (and so its `not`
passes) in both paths, so the bulk list and the per-person judgement cannot disagree.

Age is never computed in SQL: "age >= N on D" is "born on or before D minus N years", a plain date bound
that an index can use on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import operator
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import reduce
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, DecimalField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from haven.benefits.models import Beneficiary, Enrolment, RuleSet
from haven.orgs.models import Area
from haven.people.models import Person

# ---------------------------------------------------------------------------------------------------------
# Dates: the two calendar shifts every date-derived field uses, in SQL bounds and in Python alike.


def years_before(on: date, years: int) -> date:
    """The same day `years` earlier; 29 February becomes 28 February in a common year.

    With this bound, "age >= N on `on`" is exactly "born on or before years_before(on, N)" (see `age_on`).
    """
    year = on.year - years
    try:
        return on.replace(year=year)
    except ValueError:
        return on.replace(year=year, day=28)


def add_months(on: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month."""
    year, month_index = divmod(on.month - 1 + months, 12)
    year += on.year
    for day in (on.day, 30, 29, 28):
        try:
            return date(year, month_index + 1, min(on.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def age_on(born_on: date, on: date) -> int:
    """Whole years of age on `on`; someone born on 29 February turns a year older on 1 March."""
    return on.year - born_on.year - ((on.month, on.day) < (born_on.month, born_on.day))


def months_until(on: date, until: date) -> int:
    """Whole months from `on` to `until` (negative once `until` has passed): the largest m with
    add_months(on, m) <= until."""
    months = (until.year - on.year) * 12 + until.month - on.month
    return months - 1 if add_months(on, months) > until else months


def first_of_month(on: date) -> date:
    return on.replace(day=1)


# ---------------------------------------------------------------------------------------------------------
# Primitive tests: what a comparison compiles to.


@dataclass(frozen=True)
class Test:
    """`path` (a Beneficiary lookup path such as "person__born_on") compared with `lookup` to `value`."""

    path: str
    lookup: str  # exact, lt, lte, gt, gte, in, isnull
    value: Any
    nullable: bool = False


@dataclass(frozen=True)
class Within:
    """Her area is one of `area_ids` or lies below one of them (areas nest at most five levels)."""

    area_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    part: Node


Node = Test | Within | AllOf | AnyOf | Not

_AREA_DEPTH = 5  # Area.Level runs from country (1) to union or village (5)

_PYTHON_LOOKUPS: dict[str, Callable[[Any, Any], bool]] = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
    "in": lambda actual, values: actual in values,
}


def node_q(node: Node) -> Q:
    """The node as a two-valued `Q` on Beneficiary: a test on a NULL column is false, never unknown,
    so that `not` and `Case` treat a missing value exactly as `evaluate` does."""
    if isinstance(node, Test):
        q = Q(**{f"{node.path}__{node.lookup}": node.value})
        if node.nullable and node.lookup != "isnull":
            q &= Q(**{f"{node.path}__isnull": False})
        return q
    if isinstance(node, Within):
        return Q(area_id__in=_areas_within(node.area_ids).values("pk"))
    if isinstance(node, AllOf):
        return reduce(operator.and_, (node_q(part) for part in node.parts), Q())
    if isinstance(node, AnyOf):
        return reduce(operator.or_, (node_q(part) for part in node.parts))
    return ~node_q(node.part)


def _areas_within(area_ids: Sequence[uuid.UUID]) -> QuerySet[Area]:
    """The areas themselves and every area below them, as one query on the (small) area table."""
    q = Q(pk__in=area_ids)
    for depth in range(1, _AREA_DEPTH):
        q |= Q(**{"__".join(["parent"] * depth) + "_id__in": area_ids})
    return Area.objects.filter(q)


def evaluate(node: Node, beneficiary: Beneficiary) -> bool:
    """The node on one beneficiary's loaded row, with the semantics of `node_q`."""
    if isinstance(node, Test):
        actual = _resolve(beneficiary, node.path)
        if node.lookup == "isnull":
            return (actual is None) is bool(node.value)
        return actual is not None and bool(_PYTHON_LOOKUPS[node.lookup](actual, node.value))
    if isinstance(node, Within):
        return bool(set(_area_chain(beneficiary.area)) & set(node.area_ids))
    if isinstance(node, AllOf):
        return all(evaluate(part, beneficiary) for part in node.parts)
    if isinstance(node, AnyOf):
        return any(evaluate(part, beneficiary) for part in node.parts)
    return not evaluate(node.part, beneficiary)


def _resolve(obj: Any, path: str) -> Any:
    for attribute in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, attribute)
    return obj


def _area_chain(area: Area) -> list[uuid.UUID]:
    """Her area and its ancestors, as far as `_areas_within` looks."""
    chain: list[uuid.UUID] = [area.pk]
    node = area.parent
    while node is not None and len(chain) < _AREA_DEPTH:
        chain.append(node.pk)
        node = node.parent
    return chain


# ---------------------------------------------------------------------------------------------------------
# The field registry: one table, read by validation, the SQL compiler, the evaluator and `describe`.


class Kind(StrEnum):
    NUMBER = "number"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    AREA = "area"


OPERATORS: dict[Kind, tuple[str, ...]] = {
    Kind.NUMBER: ("=", "!=", "<", "<=", ">", ">=", "in", "between", "is_set"),
    Kind.BOOLEAN: ("=", "!="),
    Kind.CHOICE: ("=", "!=", "in"),
    Kind.AREA: ("=", "!=", "in"),
}

_COLUMN_LOOKUPS = {"=": "exact", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}


@dataclass(frozen=True)
class Field:
    """A name rules may use. `column` fields compare a column directly; `at_least`/`below` fields are
    whole numbers derived from a date column (age, months to delivery) and compile to date bounds;
    `is_true` fields are yes/no facts built from several columns."""

    name: str
    label: Promise
    kind: Kind
    actual: Callable[[Beneficiary, date], Any]
    column: str = ""
    nullable: bool = False
    decimals: int = 0
    minimum: Decimal = Decimal(0)
    maximum: Decimal = Decimal(10**9)
    choices: tuple[tuple[str, Promise], ...] = ()
    at_least: Callable[[int, date], Node] | None = None
    below: Callable[[int, date], Node] | None = None
    is_true: Callable[[date], Node] | None = None
    yes: Promise | None = None
    no: Promise | None = None

    def choice_label(self, code: Any) -> str:
        return next((str(label) for value, label in self.choices if value == code), str(code))


def _age_at_least(years: int, on: date) -> Node:
    return Test("person__born_on", "lte", years_before(on, years), nullable=True)


def _age_below(years: int, on: date) -> Node:
    return Test("person__born_on", "gt", years_before(on, years), nullable=True)


def _delivery_at_least(months: int, on: date) -> Node:
    return Test("expected_delivery_on", "gte", add_months(on, months), nullable=True)


def _delivery_below(months: int, on: date) -> Node:
    return Test("expected_delivery_on", "lt", add_months(on, months), nullable=True)


def _actual_age(beneficiary: Beneficiary, on: date) -> int | None:
    born_on = beneficiary.person.born_on
    return None if born_on is None else age_on(born_on, on)


def _actual_months_to_delivery(beneficiary: Beneficiary, on: date) -> int | None:
    due = beneficiary.expected_delivery_on
    return None if due is None else months_until(on, due)


def _has_national_id(on: date) -> Node:
    return AllOf(
        (
            Test("person__id_kind", "exact", Person.IdKind.NATIONAL_ID.value),
            Not(Test("person__id_number_index", "exact", "")),
        )
    )


def _has_own_mobile(on: date) -> Node:
    return AllOf((Test("mobile_is_own", "exact", True), Not(Test("person__phone_index", "exact", ""))))


def _pregnant(on: date) -> Node:
    return Test("expected_delivery_on", "gte", on, nullable=True)


def _flag(column: str) -> Callable[[date], Node]:
    return lambda on: Test(column, "exact", True)


def _column_value(path: str) -> Callable[[Beneficiary, date], Any]:
    return lambda beneficiary, on: _resolve(beneficiary, path)


def _truth(build: Callable[[date], Node]) -> Callable[[Beneficiary, date], Any]:
    return lambda beneficiary, on: evaluate(build(on), beneficiary)


def _area_actual(beneficiary: Beneficiary, on: date) -> str:
    return str(beneficiary.area_id)


FIELDS: dict[str, Field] = {
    field.name: field
    for field in (
        Field(
            "age", _("age"), Kind.NUMBER, _actual_age, column="person__born_on", nullable=True,
            maximum=Decimal(150),
            at_least=_age_at_least, below=_age_below,
        ),
        Field(
            "sex", _("sex"), Kind.CHOICE, _column_value("person__sex"), column="person__sex",
            choices=tuple(Person.Sex.choices),
        ),
        Field(
            "marital_status", _("marital status"), Kind.CHOICE, _column_value("person__marital_status"),
            column="person__marital_status", choices=tuple(Person.MaritalStatus.choices),
        ),
        Field(
            "has_national_id", _("national ID"), Kind.BOOLEAN, _truth(_has_national_id),
            is_true=_has_national_id, yes=_("has a national ID"), no=_("has no national ID"),
        ),
        Field(
            "has_own_mobile", _("own mobile"), Kind.BOOLEAN, _truth(_has_own_mobile),
            is_true=_has_own_mobile, yes=_("has her own mobile number"),
            no=_("has no mobile number of her own"),
        ),
        Field(
            "land_decimals", _("land (decimals)"), Kind.NUMBER, _column_value("land_decimals"),
            column="land_decimals", nullable=True, decimals=2, maximum=Decimal(999999),
        ),
        Field(
            "monthly_income", _("household income a month"), Kind.NUMBER, _column_value("monthly_income"),
            column="monthly_income", nullable=True,
        ),
        Field(
            "household_has_disabled_member", _("disabled household member"), Kind.BOOLEAN,
            _truth(_flag("household_has_disabled_member")), is_true=_flag("household_has_disabled_member"),
            yes=_("a household member has a disability"), no=_("no household member has a disability"),
        ),
        Field(
            "pregnant", _("pregnant"), Kind.BOOLEAN, _truth(_pregnant), is_true=_pregnant,
            yes=_("pregnant (delivery expected)"), no=_("not pregnant (no delivery expected)"),
        ),
        Field(
            "months_to_delivery", _("months to delivery"), Kind.NUMBER, _actual_months_to_delivery,
            column="expected_delivery_on", nullable=True, minimum=Decimal(-120), maximum=Decimal(120),
            at_least=_delivery_at_least, below=_delivery_below,
        ),
        Field("area", pgettext_lazy("geography", "area"), Kind.AREA, _area_actual),
    )
}  # fmt: skip


# ---------------------------------------------------------------------------------------------------------
# Compiling a comparison to primitive tests.


def compile_comparison(field: Field, op: str, value: Any, on: date) -> Node:
    """One validated comparison as primitive tests; `value` is already normalised (`_normalise`)."""
    if field.kind is Kind.AREA:
        within = Within(tuple(value))
        return Not(within) if op == "!=" else within
    if field.kind is Kind.BOOLEAN:
        assert field.is_true is not None
        truth = field.is_true(on)
        wanted = bool(value) if op == "=" else not value
        return truth if wanted else Not(truth)
    if field.at_least is not None:
        return _compile_whole_number(field, op, value, on)
    return _compile_column(field, op, value)


def _compile_column(field: Field, op: str, value: Any) -> Node:
    test = _column_test(field)
    if op in _COLUMN_LOOKUPS:
        return test(_COLUMN_LOOKUPS[op], value)
    if op == "!=":
        return AllOf((test("isnull", False), Not(test("exact", value))))
    if op == "in":
        return test("in", tuple(value))
    if op == "between":
        return AllOf((test("gte", value[0]), test("lte", value[1])))
    return test("isnull", not value)  # is_set


def _column_test(field: Field) -> Callable[[str, Any], Test]:
    return lambda lookup, value: Test(field.column, lookup, value, nullable=field.nullable)


def _compile_whole_number(field: Field, op: str, value: Any, on: date) -> Node:
    """Whole-number fields derived from a date: every operator from "at least N" and "below N"."""
    assert field.at_least is not None and field.below is not None
    at_least, below = field.at_least, field.below
    if op == "is_set":
        return Test(field.column, "isnull", not value, nullable=True)
    if op == "in":
        return AnyOf(tuple(_exactly(field, n, on) for n in value))
    if op == "between":
        return AllOf((at_least(value[0], on), below(value[1] + 1, on)))
    n = int(value)
    builders: dict[str, Callable[[], Node]] = {
        ">=": lambda: at_least(n, on),
        ">": lambda: at_least(n + 1, on),
        "<": lambda: below(n, on),
        "<=": lambda: below(n + 1, on),
        "=": lambda: _exactly(field, n, on),
        "!=": lambda: AnyOf((below(n, on), at_least(n + 1, on))),
    }
    return builders[op]()


def _exactly(field: Field, n: int, on: date) -> Node:
    assert field.at_least is not None and field.below is not None
    return AllOf((field.at_least(n, on), field.below(n + 1, on)))


def compile_condition(condition: dict[str, Any], on: date) -> Node:
    """A validated condition (comparison or all/any/not) as one tree of primitive tests."""
    if "all" in condition:
        return AllOf(tuple(compile_condition(part, on) for part in condition["all"]))
    if "any" in condition:
        return AnyOf(tuple(compile_condition(part, on) for part in condition["any"]))
    if "not" in condition:
        return Not(compile_condition(condition["not"], on))
    field = FIELDS[condition["field"]]
    return compile_comparison(field, condition["op"], _normalise(field, condition), on)


def condition_q(condition: dict[str, Any], on: date) -> Q:
    return node_q(compile_condition(condition, on))


def _normalise(field: Field, comparison: dict[str, Any]) -> Any:
    """The comparison's value in the type the column holds: Decimal for decimals (never a float, whose
    binary rounding would make SQL and Python disagree at the boundary), UUIDs for areas."""
    value = comparison.get("value", True)
    if field.kind is Kind.AREA:
        return [uuid.UUID(str(v)) for v in (value if isinstance(value, list) else [value])]
    if field.kind is not Kind.NUMBER or comparison["op"] == "is_set":
        return value
    if isinstance(value, list):
        return [_number(field, v) for v in value]
    return _number(field, value)


def _number(field: Field, value: Any) -> Decimal | int:
    number = Decimal(str(value))
    return number if field.decimals else int(number)


# ---------------------------------------------------------------------------------------------------------
# Exclusions: defined once as an Enrolment query about "her" (`ref`), used as NOT EXISTS in bulk and as a
# plain query for one beneficiary.

Ref = Callable[[str], Any]


def _enrolled_elsewhere(rule_set: RuleSet, rule: dict[str, Any], on: date, ref: Ref) -> QuerySet[Enrolment]:
    """An active enrolment of hers in another programme of the organisation with one of the codes."""
    return Enrolment.objects.filter(
        beneficiary_id=ref("pk"),
        status=Enrolment.Status.ACTIVE,
        ends_on__gte=first_of_month(on),
        programme__org_id=rule_set.org_id,
        programme__code__in=rule["programmes"],
    ).exclude(programme_id=rule_set.programme_id)


def _enrolled_before(rule_set: RuleSet, rule: dict[str, Any], on: date, ref: Ref) -> QuerySet[Enrolment]:
    """An enrolment of hers in this programme that had not ended `months` before this month (which
    includes a current one). "cycles" counts the programme's own rounds: VWB's two cycles are 48 months."""
    since = add_months(first_of_month(on), -exclusion_months(rule_set, rule))
    ended_recently = Q(exited_on__isnull=True, ends_on__gte=since) | Q(exited_on__gte=since)
    return Enrolment.objects.filter(
        ended_recently, beneficiary_id=ref("pk"), programme_id=rule_set.programme_id
    )


def _household_has_card(rule_set: RuleSet, rule: dict[str, Any], on: date, ref: Ref) -> QuerySet[Enrolment]:
    """An active enrolment in this programme held by someone else registered in her household."""
    if ref("household_id") is None:  # judging one woman with no household: nothing to ask the database
        return Enrolment.objects.none()
    return Enrolment.objects.filter(
        programme_id=rule_set.programme_id,
        status=Enrolment.Status.ACTIVE,
        ends_on__gte=first_of_month(on),
        beneficiary__household_id__isnull=False,
        beneficiary__household_id=ref("household_id"),
    ).exclude(beneficiary_id=ref("pk"))


def exclusion_months(rule_set: RuleSet, rule: dict[str, Any]) -> int:
    if "cycles" in rule:
        return int(rule["cycles"]) * rule_set.programme.duration_months
    return int(rule["months"])


@dataclass(frozen=True)
class Exclusion:
    kind: str
    query: Callable[[RuleSet, dict[str, Any], date, Ref], QuerySet[Enrolment]]
    parameters: tuple[str, ...]  # keys a rule of this kind may carry besides name, label and kind


EXCLUSIONS: dict[str, Exclusion] = {
    exclusion.kind: exclusion
    for exclusion in (
        Exclusion("enrolled_elsewhere", _enrolled_elsewhere, ("programmes",)),
        Exclusion("enrolled_before", _enrolled_before, ("months", "cycles")),
        Exclusion("household_has_card", _household_has_card, ()),
    )
}


def exclusion_q(rule_set: RuleSet, rule: dict[str, Any], on: date) -> Q:
    """Passing the exclusion (not excluded) as a NOT EXISTS on Beneficiary."""
    subquery = EXCLUSIONS[rule["kind"]].query(rule_set, rule, on, OuterRef)
    return Q(~Exists(subquery))


def is_excluded(rule_set: RuleSet, rule: dict[str, Any], beneficiary: Beneficiary, on: date) -> bool:
    def ref(name: str) -> Any:
        return beneficiary.pk if name == "pk" else getattr(beneficiary, name)

    return EXCLUSIONS[rule["kind"]].query(rule_set, rule, on, ref).exists()


# ---------------------------------------------------------------------------------------------------------
# A whole rule set in SQL.


def eligibility_q(rule_set: RuleSet, on: date) -> Q:
    """Every eligibility rule and every exclusion of the set, as one `Q` on Beneficiary."""
    parts = [condition_q(rule, on) for rule in rule_set.eligibility]
    parts += [exclusion_q(rule_set, rule, on) for rule in rule_set.exclusions]
    return reduce(operator.and_, parts, Q())


SCORE_FIELD: DecimalField[Decimal, Decimal] = DecimalField(max_digits=9, decimal_places=2)


def priority_expression(rule_set: RuleSet, on: date) -> Combinable:
    """The priority score as a sum of CASE WHEN … THEN points ELSE 0: one expression, no Python per row.

    It starts from an integer 0 so that SQLite, which receives decimals as text, adds numbers.
    """
    score: Combinable = Value(0, output_field=SCORE_FIELD)
    for rule in rule_set.priority:
        points = Value(points_of(rule), output_field=SCORE_FIELD)
        score = score + Case(
            When(condition_q(rule, on), then=points), default=Value(0), output_field=SCORE_FIELD
        )
    return score


def points_of(rule: dict[str, Any]) -> Decimal:
    return Decimal(str(rule["points"]))


# ---------------------------------------------------------------------------------------------------------
# Validation: every mistake named with where it is and what to do.

_RULE_KEYS = frozenset({"name", "label"})
_CONDITION_KEYS = frozenset({"field", "op", "value"})
_COMBINATORS = ("all", "any", "not")
_MAX_DEPTH = 6
_MAX_LIST = 500
_MAX_NAME = 40


class RuleError(Exception):
    """One mistake in a rule; `validate_rule_set` prefixes where it is."""


def validate_rule_set(eligibility: Any, priority: Any, exclusions: Any, *, org: Any = None) -> None:
    """Refuse a rule set that cannot be compiled, with one sentence per mistake naming the rule.

    With `org`, area identifiers must be areas of that organisation.
    """
    errors: dict[str, list[str]] = {}
    checks: tuple[tuple[str, Any, Callable[[dict[str, Any]], None]], ...] = (
        ("eligibility", eligibility, _check_eligibility_rule),
        ("priority", priority, _check_priority_rule),
        ("exclusions", exclusions, _check_exclusion_rule),
    )
    for key, rules, check in checks:
        messages = _check_list(rules, check)
        if messages:
            errors[key] = messages
    if org is not None and not errors:
        _check_areas_exist([eligibility, priority], org, errors)
    if errors:
        raise ValidationError(errors)


def _check_list(rules: Any, check: Callable[[dict[str, Any]], None]) -> list[str]:
    if not isinstance(rules, list):
        return [gettext("Write the rules as a list.")]
    messages: list[str] = []
    names: set[str] = set()
    for number, rule in enumerate(rules, start=1):
        try:
            _check_name(rule, names)
            check(rule)
        except RuleError as error:
            messages.append(gettext("Rule %(number)d: %(problem)s") % {"number": number, "problem": error})
    return messages


def _check_name(rule: Any, names: set[str]) -> None:
    if not isinstance(rule, dict):
        raise RuleError(gettext("write the rule as an object with a name."))
    name = rule.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > _MAX_NAME:
        raise RuleError(gettext("give it a name of 1 to %(max)d characters.") % {"max": _MAX_NAME})
    if name in names:
        raise RuleError(
            gettext("the name '%(name)s' is used twice; give each rule its own.") % {"name": name}
        )
    names.add(name)
    label = rule.get("label", "")
    if not isinstance(label, str) or len(label) > 200:
        raise RuleError(gettext("the label must be text of at most 200 characters."))


def _condition_of(rule: dict[str, Any], extra_keys: set[str]) -> dict[str, Any]:
    """The rule without its name, label and `extra_keys`: what is left must be one condition."""
    return {key: value for key, value in rule.items() if key not in _RULE_KEYS | extra_keys}


def _check_eligibility_rule(rule: dict[str, Any]) -> None:
    _check_condition(_condition_of(rule, set()), 1)


def _check_priority_rule(rule: dict[str, Any]) -> None:
    points = rule.get("points")
    if not _is_number(points) or not _fits(Decimal(str(points)), Decimal(-1000), Decimal(1000), 2):
        raise RuleError(gettext("give its points as a number from -1000 to 1000 with at most 2 decimals."))
    _check_condition(_condition_of(rule, {"points"}), 1)


def _check_exclusion_rule(rule: dict[str, Any]) -> None:
    kind = rule.get("kind")
    if kind not in EXCLUSIONS:
        raise RuleError(
            gettext("unknown exclusion '%(kind)s'. Known exclusions: %(known)s.")
            % {"kind": kind, "known": ", ".join(EXCLUSIONS)}
        )
    allowed = _RULE_KEYS | {"kind"} | set(EXCLUSIONS[kind].parameters)
    _refuse_unknown_keys(rule, allowed)
    if kind == "enrolled_elsewhere":
        codes = rule.get("programmes")
        if not _is_list_of(codes, str) or not codes:
            raise RuleError(gettext("list the short names of the other programmes in 'programmes'."))
    if kind == "enrolled_before":
        periods = [key for key in ("months", "cycles") if key in rule]
        if len(periods) != 1 or not _is_whole(rule[periods[0]], 1, 240):
            raise RuleError(gettext("give either 'months' or 'cycles' as a whole number from 1 to 240."))


def _check_condition(condition: Any, depth: int) -> None:
    if not isinstance(condition, dict):
        raise RuleError(gettext("a condition must be an object."))
    if depth > _MAX_DEPTH:
        raise RuleError(gettext("conditions are nested too deep (at most %(max)d).") % {"max": _MAX_DEPTH})
    combinators = [key for key in _COMBINATORS if key in condition]
    if combinators:
        _check_combination(condition, combinators, depth)
    else:
        _check_comparison(condition)


def _check_combination(condition: dict[str, Any], combinators: list[str], depth: int) -> None:
    if len(condition) != 1:
        raise RuleError(gettext("'all', 'any' or 'not' must stand alone in its condition."))
    key = combinators[0]
    parts = condition[key]
    if key == "not":
        _check_condition(parts, depth + 1)
        return
    if not isinstance(parts, list) or not parts:
        raise RuleError(gettext("'%(key)s' needs a non-empty list of conditions.") % {"key": key})
    for part in parts:
        _check_condition(part, depth + 1)


def _check_comparison(condition: dict[str, Any]) -> None:
    if "field" not in condition:
        raise RuleError(gettext("say which field it tests ('field'), or combine with 'all', 'any' or 'not'."))
    _refuse_unknown_keys(condition, _CONDITION_KEYS)
    field = FIELDS.get(condition["field"]) if isinstance(condition["field"], str) else None
    if field is None:
        raise RuleError(
            gettext("unknown field '%(field)s'. Known fields: %(known)s.")
            % {"field": condition["field"], "known": ", ".join(FIELDS)}
        )
    op = condition.get("op")
    if op not in OPERATORS[field.kind]:
        raise RuleError(
            gettext("the field '%(field)s' cannot be compared with '%(op)s'. Use one of: %(ops)s.")
            % {"field": field.name, "op": op, "ops": " ".join(OPERATORS[field.kind])}
        )
    _check_value(field, op, condition.get("value"), "value" in condition)


def _check_value(field: Field, op: str, value: Any, given: bool) -> None:
    if op == "is_set":
        if given and not isinstance(value, bool):
            raise RuleError(gettext("'is_set' takes true or false (or no value)."))
        return
    if not given:
        raise RuleError(gettext("give the value to compare '%(field)s' with.") % {"field": field.name})
    if field.kind is Kind.AREA:
        values = value if op == "in" else [value]
        _check_many(field, values, _is_uuid, gettext("area identifiers"))
    elif op == "in":
        _check_many(field, value, lambda v: _value_ok(field, v), _expected(field))
    elif op == "between":
        if not (isinstance(value, list) and len(value) == 2 and all(_value_ok(field, v) for v in value)):
            raise RuleError(
                gettext("'between' takes two values [low, high], each %(what)s.") % {"what": _expected(field)}
            )
        if Decimal(str(value[0])) > Decimal(str(value[1])):
            raise RuleError(gettext("in 'between', put the lower value first."))
    elif not _value_ok(field, value):
        raise RuleError(
            gettext("the value for '%(field)s' must be %(what)s.")
            % {"field": field.name, "what": _expected(field)}
        )


def _check_many(field: Field, values: Any, ok: Callable[[Any], bool], what: str) -> None:
    if not isinstance(values, list) or not values or len(values) > _MAX_LIST:
        raise RuleError(gettext("'in' takes a list of 1 to %(max)d values.") % {"max": _MAX_LIST})
    if not all(ok(v) for v in values):
        raise RuleError(
            gettext("the values for '%(field)s' must be %(what)s.") % {"field": field.name, "what": what}
        )


def _value_ok(field: Field, value: Any) -> bool:
    if field.kind is Kind.BOOLEAN:
        return isinstance(value, bool)
    if field.kind is Kind.CHOICE:
        return value in {code for code, _label in field.choices}
    return _is_number(value) and _fits(Decimal(str(value)), field.minimum, field.maximum, field.decimals)


def _expected(field: Field) -> str:
    if field.kind is Kind.BOOLEAN:
        return gettext("true or false")
    if field.kind is Kind.CHOICE:
        return gettext("one of %(codes)s") % {"codes": ", ".join(code for code, _label in field.choices)}
    if field.decimals:
        return gettext("a number from %(min)s to %(max)s with at most %(decimals)d decimals") % {
            "min": field.minimum, "max": field.maximum, "decimals": field.decimals,
        }  # fmt: skip
    return gettext("a whole number from %(min)s to %(max)s") % {"min": field.minimum, "max": field.maximum}


def _refuse_unknown_keys(rule: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(rule) - set(allowed))
    if unknown:
        raise RuleError(
            gettext("unknown key '%(key)s'. Allowed here: %(allowed)s.")
            % {"key": unknown[0], "allowed": ", ".join(sorted(allowed))}
        )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _fits(number: Decimal, low: Decimal, high: Decimal, decimals: int) -> bool:
    try:
        return (
            number.is_finite()
            and low <= number <= high
            and number == number.quantize(Decimal(1).scaleb(-decimals))
        )
    except InvalidOperation:
        return False


def _is_list_of(values: Any, kind: type) -> bool:
    return isinstance(values, list) and len(values) <= _MAX_LIST and all(isinstance(v, kind) for v in values)


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _check_areas_exist(lists: list[Any], org: Any, errors: dict[str, list[str]]) -> None:
    wanted = {uuid.UUID(str(v)) for rules in lists for rule in rules for v in _area_values(rule)}
    known = set(Area.objects.filter(org=org, pk__in=wanted).values_list("pk", flat=True))
    missing = wanted - known
    if missing:
        errors["eligibility"] = [
            gettext("These areas are not areas of your organisation: %(ids)s.")
            % {"ids": ", ".join(sorted(str(v) for v in missing))}
        ]


def _area_values(condition: Any) -> list[Any]:
    """Every area identifier named anywhere in a (validated) condition."""
    if isinstance(condition, dict):
        if condition.get("field") == "area":
            value = condition.get("value")
            return value if isinstance(value, list) else [value]
        return [v for key in _COMBINATORS for v in _area_values(condition.get(key))]
    if isinstance(condition, list):
        return [v for part in condition for v in _area_values(part)]
    return []


# ---------------------------------------------------------------------------------------------------------
# Seed rules, as data (the demo and tests use them).

VWB_RULES: dict[str, list[dict[str, Any]]] = {
    # Vulnerable Women Benefit: women aged 20 to 50 with a national ID and their own mobile number.
    "eligibility": [
        {"name": "woman", "field": "sex", "op": "=", "value": "FEMALE"},
        {"name": "age", "field": "age", "op": "between", "value": [20, 50]},
        {"name": "national_id", "field": "has_national_id", "op": "=", "value": True},
        {"name": "own_mobile", "field": "has_own_mobile", "op": "=", "value": True},
    ],
    # Priority to the landless (under 15 decimals), to widowed, divorced or abandoned women, and to
    # households with a disabled member. The weights are the programme's to set; these are a start.
    "priority": [
        {"name": "landless", "points": 30, "field": "land_decimals", "op": "<", "value": 15},
        {
            "name": "without_husband",
            "points": 25,
            "field": "marital_status",
            "op": "in",
            "value": ["WIDOWED", "DIVORCED", "ABANDONED"],
        },
        {
            "name": "disabled_member",
            "points": 20,
            "field": "household_has_disabled_member",
            "op": "=",
            "value": True,
        },
    ],
    # Not in the previous two cycles (two rounds of 24 months), not in another safety-net programme
    # (the codes this organisation gives them), one card per family.
    "exclusions": [
        {"name": "previous_cycles", "kind": "enrolled_before", "cycles": 2},
        {"name": "other_safety_net", "kind": "enrolled_elsewhere", "programmes": ["mcb", "oaa", "wda"]},
        {"name": "one_card_per_family", "kind": "household_has_card"},
    ],
}

MOTHER_AND_CHILD_RULES: dict[str, list[dict[str, Any]]] = {
    # Mother & child benefit: women of 20 or more, pregnant and due within six months (from the fourth
    # month of pregnancy), a household income under Tk 8,000 a month, and her own mobile for the wallet.
    "eligibility": [
        {"name": "woman", "field": "sex", "op": "=", "value": "FEMALE"},
        {"name": "age", "field": "age", "op": ">=", "value": 20},
        {"name": "pregnancy_stage", "field": "months_to_delivery", "op": "between", "value": [0, 5]},
        {"name": "income", "field": "monthly_income", "op": "<", "value": 8000},
        {"name": "own_mobile", "field": "has_own_mobile", "op": "=", "value": True},
    ],
    "priority": [
        {"name": "lowest_income", "points": 20, "field": "monthly_income", "op": "<", "value": 4000},
        {
            "name": "disabled_member",
            "points": 10,
            "field": "household_has_disabled_member",
            "op": "=",
            "value": True,
        },
    ],
    "exclusions": [
        {"name": "already_enrolled", "kind": "enrolled_before", "months": 36},
    ],
}
