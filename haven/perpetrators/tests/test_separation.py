"""The programme is kept apart from survivors: in its imports, in its models and in who may open what.

1. Imports: no module of the app imports a survivor-side app, directly or through the modules it imports
   (the graph is read from the source files with `ast`, nothing is executed).
2. Models: no field of a programme model relates to a model outside orgs, accounts, privacy and this
   app, and no model elsewhere relates to a programme model.
3. Permissions: a programme worker is refused every staff page and API endpoint of the survivor apps;
   a survivor-side member who is not on the programme's team is refused every programme page and
   endpoint. The generated walk (haven/web/tests/test_view_permissions.py) checks every role; this
   checks the two sides of the wall with real requests.
"""

from __future__ import annotations

import ast
import inspect
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

from haven.api import api
from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.perpetrators.tests import walk
from haven.web.tests import test_view_permissions as generated_walk

APP_DIR = Path(__file__).resolve().parents[1]
HAVEN_DIR = APP_DIR.parent

FORBIDDEN = (
    "haven.people",
    "haven.cases",
    "haven.shelters",
    "haven.hotline",
    "haven.dispatch",
    "haven.referrals",
    "haven.channels",
    "haven.legal",
    "haven.documents",
    "haven.counselling",
    "haven.groups",
    "haven.committees",
    "haven.risk",  # except its pure modules, below
)
RISK_PURE = frozenset(
    {"haven.risk", "haven.risk.instrument", "haven.risk.scoring", "haven.risk.instrument_texts"}
)
ALLOWED_DIRECT = ("haven.orgs", "haven.accounts", "haven.privacy", "haven.web", "haven.perpetrators")
DYNAMIC_IMPORTS = frozenset({"import_module", "__import__", "get_model", "get_models"})
ALLOWED_RELATIONS = frozenset({"orgs", "accounts", "privacy", "perpetrators"})


# --- 1. imports ----------------------------------------------------------------------------------------


def _forbidden(module: str) -> bool:
    if module in RISK_PURE:
        return False
    return any(module == prefix or module.startswith(prefix + ".") for prefix in FORBIDDEN)


def _module_file(module: str) -> Path | None:
    parts = module.split(".")
    if parts[0] != "haven":
        return None
    base = HAVEN_DIR.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _module_name(path: Path) -> str:
    relative = path.relative_to(HAVEN_DIR.parent).with_suffix("")
    parts = list(relative.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, module: str, is_package: bool = False) -> set[str]:
    """The haven modules a source imports: `from haven.x import y` is haven.x.y when y is a module."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names if _module_file(f"{base}.{alias.name}")}
    named = {name for name in found if name.startswith("haven")}
    # A module's parent packages run first: their __init__ is imported too.
    return named | {".".join(name.split(".")[:n]) for name in named for n in range(2, name.count(".") + 1)}


def dynamic_imports(source: str) -> list[str]:
    """Calls that import by name at run time (importlib, apps.get_model): the graph cannot follow them."""
    calls = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in DYNAMIC_IMPORTS:
                calls.append(name)
    return calls


def app_modules() -> Iterator[Path]:
    """Every module of the app but its tests (which build survivors' files to prove they are refused)."""
    for path in sorted(APP_DIR.rglob("*.py")):
        if "tests" not in path.relative_to(APP_DIR).parts:
            yield path


def reached_forbidden(start: set[str]) -> dict[str, list[str]]:
    """Forbidden modules reached from `start`, each with the chain of imports that reaches it."""
    chains: dict[str, list[str]] = {name: [name] for name in start}
    queue, found = list(start), {}
    while queue:
        module = queue.pop()
        if _forbidden(module):
            found[module] = chains[module]
            continue
        path = _module_file(module)
        if path is None:
            continue
        for imported in imports_of(path.read_text(encoding="utf-8"), module, path.name == "__init__.py"):
            if imported not in chains:
                chains[imported] = [*chains[module], imported]
                queue.append(imported)
    return found


def test_the_checker_catches_a_survivor_import() -> None:
    planted = (
        "from haven.cases.models import Case\nfrom haven.people import actions\nfrom ..risk import models\n"
    )
    found = imports_of(planted, "haven.perpetrators.views")
    assert {"haven.cases.models", "haven.people.actions", "haven.risk.models"} <= found
    assert set(reached_forbidden({"haven.web.navigation"})) >= {"haven.people.views"}
    assert dynamic_imports("from django.apps import apps\napps.get_model('people', 'Person')") == [
        "get_model"
    ]


def test_no_module_of_the_app_imports_a_survivor_app() -> None:
    for path in app_modules():
        source = path.read_text(encoding="utf-8")
        module = _module_name(path)
        direct = imports_of(source, module, path.name == "__init__.py")
        refused = sorted(name for name in direct if _forbidden(name))
        assert not refused, f"{module} imports {refused}: the programme is kept apart from survivors"
        outside = sorted(
            n for n in direct if n != "haven" and not n.startswith(ALLOWED_DIRECT) and n not in RISK_PURE
        )
        assert not outside, (
            f"{module} imports {outside}: only orgs, accounts, privacy, web helpers, risk's pure modules"
        )
        assert not dynamic_imports(source), f"{module} imports by name at run time"


def test_what_the_app_imports_reaches_no_survivor_app() -> None:
    start: set[str] = set()
    for path in app_modules():
        start |= imports_of(path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py")
    found = reached_forbidden(start)
    assert not found, "reached through imports: " + "; ".join(" → ".join(chain) for chain in found.values())


# --- 2. models -----------------------------------------------------------------------------------------


def test_no_programme_model_relates_to_a_survivor_model() -> None:
    for model in apps.get_app_config("perpetrators").get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model is not None:
                label = field.related_model._meta.app_label  # type: ignore[union-attr]
                assert label in ALLOWED_RELATIONS, f"{model.__name__}.{field.name} relates to {label}"


def test_no_model_elsewhere_relates_to_a_programme_model() -> None:
    for model in apps.get_models():
        if model._meta.app_label == "perpetrators":
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if field.auto_created and not field.concrete:
                continue  # the reverse side of a relation declared elsewhere (by this app, to orgs)
            related = field.related_model if field.is_relation else None
            assert related is None or related._meta.app_label != "perpetrators", (  # type: ignore[union-attr]
                f"{model._meta.label}.{field.name} relates to the perpetrator programme"
            )


# --- 3. permissions ------------------------------------------------------------------------------------

SURVIVOR_NAMESPACES = frozenset(
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
    }
)
SURVIVOR_API_MODULES = tuple(f"haven.{app}." for app in SURVIVOR_NAMESPACES)
GROUP_ATTENDANCE = ("attend", "enrol")  # the groups pages that name the women who came


def _placeholder(converter: Any) -> Any:
    if isinstance(converter, UUIDConverter):
        return uuid.uuid4()
    return 1 if isinstance(converter, IntConverter) else "x"


def _survivor_page(namespace: str, name: str, route: str) -> bool:
    if namespace == "groups":
        return any(word in name or word in route for word in GROUP_ATTENDANCE)
    return namespace in SURVIVOR_NAMESPACES


def survivor_pages() -> Iterator[tuple[str, str, Any]]:
    """(URL name, URL with placeholder arguments, access mark) of every staff page of the survivor apps."""

    def walk_patterns(patterns: list[Any], namespace: str) -> Iterator[tuple[str, str, Any]]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace not in {"admin", "api"}:
                    inner = (
                        f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
                    )
                    yield from walk_patterns(entry.url_patterns, inner or namespace)
            elif (
                isinstance(entry, URLPattern)
                and entry.name
                and _survivor_page(namespace, entry.name, str(entry.pattern))
            ):
                access = getattr(entry.callback, "haven_access", None)
                if access is not None and not access.public:
                    converters = getattr(entry.pattern, "converters", {})
                    kwargs = {k: _placeholder(converters.get(k)) for k in entry.pattern.regex.groupindex}
                    name = f"{namespace}:{entry.name}"
                    yield name, reverse(name, kwargs=kwargs), access

    return walk_patterns(get_resolver().url_patterns, "")


def survivor_endpoints() -> Iterator[tuple[str, str, str, Any, Callable[..., Any]]]:
    """(label, method, path template, access mark, view) of every endpoint of the survivor apps."""
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                view = operation.view_func
                module = view.__module__
                attendance = module.startswith("haven.groups.") and any(w in path for w in GROUP_ATTENDANCE)
                if module.startswith(SURVIVOR_API_MODULES) or attendance:
                    for method in operation.methods:
                        yield f"{method} {path}", method, path, getattr(view, "haven_access", None), view


def _api_url(path: str, view: Callable[..., Any]) -> str:
    parameters = inspect.signature(view).parameters
    for name, parameter in parameters.items():
        token = "{" + name + "}"
        if token in path:
            path = path.replace(token, str(uuid.uuid4() if parameter.annotation is not int else 1))
    return "/api/v1" + path


def _body(method: str, path: str) -> str:
    """A valid body from the generated walk's payloads, so the role check (not validation) answers."""
    maker = generated_walk.PAYLOADS.get((method, path))
    try:
        return json.dumps(maker() if maker else {})
    except Exception:  # a payload that needs the walk's own objects: the role mark decides below
        return "{}"


def test_no_survivor_page_or_endpoint_lets_a_programme_worker_in_by_role() -> None:
    opened = [name for name, _url, access in survivor_pages() if Role.PERPETRATOR_WORKER in access.roles]
    opened += [
        label
        for label, _m, _p, access, _v in survivor_endpoints()
        if access and Role.PERPETRATOR_WORKER in access.roles
    ]
    assert not opened, f"open to the programme worker: {sorted(opened)}"


def test_a_programme_worker_is_refused_every_survivor_page_and_endpoint(world: World) -> None:
    worker = world.members[Role.PERPETRATOR_WORKER]
    client = world.client_for(worker)
    pages, endpoints = list(survivor_pages()), list(survivor_endpoints())
    assert len(pages) > 100 and len(endpoints) > 100  # the walk found the survivor apps
    for name, url, access in pages:
        response = client.get(url) if "GET" in access.methods else client.post(url, {})
        assert response.status_code in {403, 404}, f"{name} as a programme worker: {response.status_code}"
    headers = {"Authorization": f"Bearer {world.token_for(worker)}"}
    for label, method, path, access, view in endpoints:
        body = _body(method, path) if method != "GET" else ""
        response = Client().generic(
            method, _api_url(path, view), body, content_type="application/json", headers=headers
        )
        refused = {403, 404} if body != "{}" or method == "GET" else {403, 404, 422}
        assert response.status_code in refused, f"{label} as a programme worker: {response.status_code}"
        assert access is not None and Role.PERPETRATOR_WORKER not in access.roles


def _programme_pages() -> list[tuple[str, tuple[str, ...], Any]]:
    resolver = get_resolver().namespace_dict["perpetrators"][1]
    pages = []
    for entry in resolver.url_patterns:
        assert isinstance(entry, URLPattern)
        access = getattr(entry.callback, "haven_access", None)
        pages.append((f"perpetrators:{entry.name}", tuple(entry.pattern.regex.groupindex), access))
    return pages


@pytest.mark.parametrize("role", [Role.COUNSELLOR, Role.CENTRE_MANAGER])
def test_a_survivor_side_member_off_the_team_is_refused_every_programme_page(
    world: World, role: Role
) -> None:
    member: Membership = world.members[role]
    client = world.client_for(member)
    pages = _programme_pages()
    assert {"perpetrators:list", "perpetrators:detail", "perpetrators:team"} <= {
        name for name, _k, _a in pages
    }
    for name, kwargs, access in pages:
        url = reverse(name, kwargs={k: walk.OBJECTS[k](world, member) for k in kwargs})
        response = client.get(url) if "GET" in access.methods else client.post(url, {})
        assert response.status_code in {403, 404}, f"{name} as {role}: {response.status_code}"
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if operation.view_func.__module__ != "haven.perpetrators.api":
                    continue
                url = "/api/v1" + path.replace(
                    "{participant_id}", str(walk.OBJECTS["participant_id"](world, member))
                )
                for method in operation.methods:
                    body = json.dumps(walk.PAYLOADS[(method, path)]()) if method != "GET" else ""
                    response = Client().generic(
                        method, url, body, content_type="application/json", headers=headers
                    )
                    assert response.status_code in {403, 404}, (
                        f"{method} {path} as {role}: {response.status_code}"
                    )
