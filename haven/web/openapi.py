"""The OpenAPI document at /api/v1/: names for its schemas where pydantic's own would clash, and the
refusals (400, 401, 403, 404, 422) each operation can answer with."""

from dataclasses import dataclass
from typing import Any

from ninja import Schema
from ninja.operation import Operation
from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema


@dataclass(frozen=True)
class SchemaName:
    """Files a model's choices under `name` in the document: `Annotated[Bed.Kind, SchemaName("BedKind")]`.

    Pydantic names the schema of choices after the class alone, and ninja keeps one schema per name for the
    whole API, so the `Kind` of beds and the `Kind` of sites would share one list of allowed values. The field
    still validates to the model's own choices, with the same errors."""

    name: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        schema = handler(source)
        if schema["type"] == "definition-ref":
            schema = handler.resolve_ref_schema(schema)
        # The id keeps apart two classes given one name by mistake; the document drops it from the name.
        return {**schema, "ref": f"{self.name}:{id(source)}"}


class Problem(Schema):
    """Why a request was refused, in the caller's language."""

    detail: str


class FieldProblem(Schema):
    field: str
    message: str


class InvalidRequest(Schema):
    """A request the endpoint could not accept, with what to fix in each field (`field` is empty for the
    request as a whole)."""

    detail: str
    errors: list[FieldProblem]


# What each refusal means, for the document's readers.
_REFUSALS: dict[int, tuple[str, type[Schema]]] = {
    400: ("The request body could not be read: it is not JSON.", Problem),
    401: ("No valid, unrevoked API token was sent.", Problem),
    403: ("The caller's role in the organisation cannot do this.", Problem),
    404: ("There is no such object, or it is outside the caller's organisation.", Problem),
    422: ("The request has errors: `errors` says what to fix in each field.", InvalidRequest),
}


def refusals(operation: Operation) -> dict[int, tuple[str, type[Schema]]]:
    """The refusals an operation can answer with, read from how it is built, so that the document lists
    every status code the API really sends (and a test can hold it to that).

    401 wherever a token is required; 403 where a role check guards the view (`api_access`); 404 where the
    input names an object (an identifier in the path, the query or the body), which outside the caller's
    scope does not exist for her; 422 wherever there is input to validate; 400 where a body must be parsed
    first.
    """
    sources = {model.__ninja_param_source__ for model in operation.models}
    codes = set()
    if operation.auth_callbacks:
        codes.add(401)
    access = getattr(operation.view_func, "haven_access", None)
    if access is not None and not access.public:
        codes.add(403)
    if "path" in sources or any(_names_an_object(model.model_json_schema()) for model in operation.models):
        codes.add(404)
    if sources:
        codes.add(422)
    if sources & {"body", "form", "file"}:
        codes.add(400)
    return {code: _REFUSALS[code] for code in sorted(codes)}


def _names_an_object(schema: Any) -> bool:
    """Whether an input's schema holds an identifier anywhere (`"format": "uuid"`, in a field, a list or
    a nested object)."""
    if isinstance(schema, dict):
        return schema.get("format") == "uuid" or any(_names_an_object(v) for v in schema.values())
    if isinstance(schema, list):
        return any(_names_an_object(item) for item in schema)
    return False
