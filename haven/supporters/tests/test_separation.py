"""No survivor data is reachable from supporters and donations.

Three walls, each checked here: the app's code imports nothing from a survivor-side app, not even through
the modules it imports (read with `ast`, so a lazy import inside a function counts too); its models relate
only to organisations, users, privacy records and each other, in both directions; and a fundraiser is
refused on the survivor pages. The generated permission walk checks every other page and role.

The tests themselves are not walled: they make a survivor and her case, to prove the fundraiser cannot
open them.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps
from django.urls import reverse

from haven.cases.actions import open_case
from haven.conftest import World
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.supporters.tests.helpers import api

HAVEN = Path(__file__).resolve().parents[2]
APP = HAVEN / "supporters"
SURVIVOR_SIDE = frozenset(
    {
        "people",
        "cases",
        "shelters",
        "hotline",
        "dispatch",
        "referrals",
        "risk",
        "legal",
        "documents",
        "counselling",
        "groups",
        "committees",
        "perpetrators",
        "channels",
        "directory",
    }
)
# `sql` holds no data: it names tables and forms values for the statements written by hand (the audit log's).
MAY_REACH = frozenset({"orgs", "accounts", "privacy", "web", "supporters", "sql"})
RELATED_APPS = frozenset({"orgs", "accounts", "privacy", "supporters"})


def _file_of(module: str) -> Path | None:
    path = HAVEN.parent.joinpath(*module.split("."))
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.exists():
            return candidate
    return None


def _haven_imports(module: str, path: Path) -> set[str]:
    """Every haven module `module` imports, wherever the import statement stands."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = (
                ".".join([*package[: len(package) - node.level + 1], node.module or ""])
                if node.level
                else node.module or ""
            )
            base = base.strip(".")
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names if _file_of(f"{base}.{alias.name}")}
    return {name for name in found if name.split(".")[0] == "haven"}


def _own_modules() -> list[str]:
    files = [f for f in APP.rglob("*.py") if "tests" not in f.relative_to(APP).parts]
    return [".".join(f.relative_to(HAVEN.parent).with_suffix("").parts) for f in files]


def _reached(start: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(start)
    while todo:
        module = todo.pop()
        path = _file_of(module)
        if module in seen or path is None:
            continue
        seen.add(module)
        todo.extend(_haven_imports(module, path))
    return seen


def test_its_code_reaches_no_survivor_side_module() -> None:
    modules = _own_modules()
    assert "haven.supporters.models" in modules and "haven.supporters.api" in modules
    reached = _reached(modules)
    apps_reached = {name.split(".")[1] for name in reached if name.count(".") >= 1}
    assert not apps_reached & SURVIVOR_SIDE, sorted(apps_reached & SURVIVOR_SIDE)
    assert apps_reached <= MAY_REACH, sorted(apps_reached - MAY_REACH)


def test_its_models_relate_only_to_organisations_users_and_each_other() -> None:
    models = list(apps.get_app_config("supporters").get_models())
    assert len(models) >= 5
    for model in models:
        for field in model._meta.get_fields(include_hidden=True):
            related = field.related_model
            if field.is_relation and related is not None and not isinstance(related, str):
                label = related._meta.app_label
                assert label in RELATED_APPS, f"{model.__name__}.{field.name} relates to {label}"


def test_a_fundraiser_is_refused_on_survivor_pages(world: World) -> None:
    survivor = register_person(org=world.org, name="Synthetic Survivor", acting_user=None, at=world.at)
    case = open_case(survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at)
    fundraiser = world.members[Role.FUNDRAISER]
    client = world.client_for(fundraiser)
    for url in (
        reverse("people:search"),
        reverse("people:detail", args=[survivor.pk]),
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
    ):
        assert client.get(url).status_code in {403, 404}, url
    for path in (f"/people/{survivor.pk}", "/cases", f"/cases/{case.pk}"):
        assert api(world, fundraiser, "GET", path).status_code in {403, 404}, path
    home = client.get(reverse("web:home")).content.decode()
    assert "Synthetic Survivor" not in home and reverse("people:search") not in home
