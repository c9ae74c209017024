"""The published OpenAPI document names each schema once: no two classes share a component.

Django-ninja files every pydantic class an operation uses under components/schemas by its class name
alone; when two apps each define, say, a `BatchOut`, the second silently replaces the first and the
document describes the first app's responses wrongly. Every component name must stand for one class.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from enum import Enum
from typing import Annotated, Any, get_args, get_origin

from django.test import Client
from ninja.openapi.schema import REF_TEMPLATE
from ninja.operation import Operation
from pydantic import BaseModel, WithJsonSchema

from haven.api import api
from haven.web.openapi import SchemaName, refusals


def _operations() -> Iterator[Operation]:
    for bound_router in api._get_bound_routers():
        for path_view in bound_router.path_operations.values():
            yield from (operation for operation in path_view.operations if operation.include_in_schema)


def _top_models(operation: Operation) -> Iterator[type[BaseModel]]:
    """The models ninja wraps the operation's parameters, body and responses in (inlined in the document)."""
    yield from operation.models
    for model in operation.response_models.values():
        if isinstance(model, type) and issubclass(model, BaseModel):
            yield model


def _named_classes(annotation: Any, seen: set[type]) -> Iterator[tuple[str, type]]:
    """The models and enumerations a type annotation reaches, each with the name of its component."""
    if get_origin(annotation) is Annotated:
        cls, *metadata = get_args(annotation)
        names = [meta.name for meta in metadata if isinstance(meta, SchemaName)]
        if names:
            yield names[0], cls
        elif not any(isinstance(meta, WithJsonSchema) for meta in metadata):  # else written out in place
            yield from _named_classes(cls, seen)
        return
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | Enum):
        if annotation in seen:
            return
        seen.add(annotation)
        yield re.sub(r"[^a-zA-Z0-9.\-_]", "_", annotation.__name__), annotation
        if issubclass(annotation, BaseModel):
            yield from _classes_of_fields(annotation, seen)
    for argument in get_args(annotation):
        yield from _named_classes(argument, seen)


def _classes_of_fields(model: type[BaseModel], seen: set[type]) -> Iterator[tuple[str, type]]:
    for field in model.model_fields.values():
        annotation = Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation
        yield from _named_classes(annotation, seen)
    for computed in model.model_computed_fields.values():
        yield from _named_classes(computed.return_type, seen)


def _component_classes() -> dict[str, set[type]]:
    """Each component name, and the classes the API's operations would file under it.

    Pydantic names a definition after its class alone (a generic model after its class and arguments) unless
    the field gives it a `SchemaName`, and ninja gathers every operation's definitions in one map, so a shared
    name keeps one class."""
    seen: set[type] = set()
    found: dict[str, set[type]] = defaultdict(set)
    for operation in _operations():
        for model in _top_models(operation):
            for name, cls in _classes_of_fields(model, seen):
                found[name].add(cls)
        for _description, refusal in refusals(operation).values():  # filed under their own names
            for name, cls in _named_classes(refusal, seen):
                found[name].add(cls)
    return found


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def _described(classes: set[type]) -> str:
    return " and ".join(sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in classes))


def test_each_component_name_stands_for_one_class() -> None:
    classes = _component_classes()
    components = _document()["components"]["schemas"]
    assert set(components) <= set(classes)  # the walk saw every schema the document holds
    shared = {name: named for name, named in classes.items() if len(named) > 1}
    assert not shared, "give each schema class its own name (choices a `SchemaName`): " + "; ".join(
        f"{name} is {_described(named)}" for name, named in sorted(shared.items())
    )


def test_every_reference_in_the_document_resolves() -> None:
    document = _document()
    prefix = REF_TEMPLATE.removesuffix("{model}")
    refs = set(_refs(document))
    assert refs and all(ref.startswith(prefix) for ref in refs)
    names = {ref.removeprefix(prefix) for ref in refs}
    assert not sorted(names - set(document["components"]["schemas"]))


def _answers(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    answers: dict[str, Any] = document["paths"][f"/api/v1{path}"][method]["responses"]
    return answers


def test_each_operation_lists_the_refusals_its_input_can_bring() -> None:
    document = _document()
    # No input: only the token and the role can be refused.
    assert sorted(_answers(document, "get", "/me")) == ["200", "401", "403"]
    # A body naming objects (the facility, the beds): unreadable, unknown or invalid too.
    holds = _answers(document, "post", "/holds")
    assert sorted(holds) == ["201", "400", "401", "403", "404", "422"]
    assert holds["422"]["content"]["application/json"]["schema"] == {
        "$ref": REF_TEMPLATE.format(model="InvalidRequest")
    }
    assert holds["404"]["content"]["application/json"]["schema"] == {
        "$ref": REF_TEMPLATE.format(model="Problem")
    }
    # An identifier typed as a number in the path is still an object that may not exist for her.
    assert "404" in _answers(document, "post", "/payments/{failed_payment_id}/retry")
