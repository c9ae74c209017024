"""The JSON API at /api/v1/: assembles each app's router, token auth, and translated errors."""

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.schema import NinjaGenerateJsonSchema

from haven.accounts.api import ApiTokenAuth
from haven.accounts.api import router as accounts_router
from haven.associations.api import router as associations_router
from haven.benefits.api import router as benefits_router
from haven.benefits.distribution.api import router as distribution_router
from haven.benefits.grievances.api import router as grievances_router
from haven.benefits.imports.api import router as imports_router
from haven.benefits.payments.api import router as payments_router
from haven.benefits.selection.api import router as selection_router
from haven.cases.api import router as cases_router
from haven.cases.care_api import router as care_router
from haven.channels.api import router as channels_router
from haven.committees.api import router as committees_router
from haven.counselling.api import router as counselling_router
from haven.directory.api import router as directory_router
from haven.dispatch.api import router as dispatch_router
from haven.documents.api import router as documents_router
from haven.groups.api import router as groups_router
from haven.hotline.api import router as hotline_router
from haven.legal.api import router as legal_router
from haven.loans.api import router as loans_router
from haven.orgs.api import router as orgs_router
from haven.people.api import router as people_router
from haven.perpetrators.api import router as perpetrators_router
from haven.referrals.api import router as referrals_router
from haven.reports.dhis2.api import router as dhis2_router
from haven.reports.sharing.api import router as report_sharing_router
from haven.risk.api import router as risk_router
from haven.shelters.api import router as shelters_router
from haven.supporters.api import router as supporters_router
from haven.training.api import router as training_router
from haven.web.openapi import refusals


def _unstorable_text(value: Any, location: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    """Where `value` holds a NUL character or half a surrogate pair, in its strings or its keys.

    PostgreSQL refuses both in text and JSON columns (SQLite takes them), and no one types them.
    """
    if isinstance(value, str):
        if "\x00" in value or (not value.isascii() and _has_lone_surrogate(value)):
            yield location
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _unstorable_text(key, (*location, str(key)))
            yield from _unstorable_text(item, (*location, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unstorable_text(item, (*location, index))


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _refuse_unstorable_text(data: Any, part: str) -> None:
    found = [{"type": "unstorable_text", "loc": loc, "msg": ""} for loc in _unstorable_text(data, (part,))]
    if found:
        raise NinjaValidationError(found)


class HavenParser(Parser):
    """Ninja's JSON and query parsing, refusing text that no column could store (a 422, not a 500)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        _refuse_unstorable_text(data, "body")
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        _refuse_unstorable_text(result, "query")
        return result


class HavenOpenAPISchema(OpenAPISchema):
    """Ninja's document, with the refusals each operation can answer with beside its success."""

    def responses(self, operation: Operation) -> dict[int, dict[str, Any]]:
        documented = super().responses(operation)
        for status, (description, model) in refusals(operation).items():
            if status in documented:
                continue  # the operation documents this answer itself
            content = {self.api.renderer.media_type: {"schema": self._component(model)}}
            documented[status] = {"description": description, "content": content}
        return documented

    def _component(self, model: type[Schema]) -> dict[str, str]:
        """A reference to the model's schema, kept once among the document's components."""
        schema = model.model_json_schema(
            ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode="serialization"
        )
        self.add_schema_definitions({**schema.pop("$defs", {}), model.__name__: schema})
        return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


class HavenAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return HavenOpenAPISchema(self, path_prefix)


api = HavenAPI(
    title="Haven API",
    version="1",
    description="Haven's JSON API. Authenticate with a personal API token: `Authorization: Bearer hvn_…`.",
    auth=ApiTokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    parser=HavenParser(),
)
api.add_router("/", accounts_router)
api.add_router("/", orgs_router)
api.add_router("/", people_router)
api.add_router("/", cases_router)
api.add_router("/", directory_router)
api.add_router("/", referrals_router)
api.add_router("/", care_router)
api.add_router("/", hotline_router)
api.add_router("/", dispatch_router)
api.add_router("/", channels_router)
api.add_router("/", risk_router)
api.add_router("/", shelters_router)
api.add_router("/", legal_router)
api.add_router("/", documents_router)
api.add_router("/", counselling_router)
api.add_router("/", groups_router)
api.add_router("/", perpetrators_router)
api.add_router("/", committees_router)
api.add_router("/", supporters_router)
api.add_router("/", benefits_router)
api.add_router("/", imports_router)
api.add_router("/", selection_router)
api.add_router("/", grievances_router)
api.add_router("/", distribution_router)
api.add_router("/", payments_router)
api.add_router("/", loans_router)
api.add_router("/", associations_router)
api.add_router("/", training_router)
api.add_router("/", report_sharing_router)
api.add_router("/", dhis2_router)


def _pydantic_message(error: dict[str, Any]) -> str:
    """A translated message for the common validation failures; pydantic's own text otherwise."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("This field is required."),
        "string_too_short": _("This field cannot be empty."),
        "string_too_long": _("This text is too long (at most %(max)s characters).")
        % {"max": ctx.get("max_length")},
        "uuid_parsing": _("This is not a valid identifier."),
        "uuid_type": _("This is not a valid identifier."),
        "int_parsing": _("Enter a whole number."),
        "bool_parsing": _("Enter true or false."),
        "enum": _("Choose one of: %(options)s.") % {"options": ctx.get("expected", "")},
        "json_invalid": _("The request body is not valid JSON."),
        "model_attributes_type": _("The request body must be a JSON object."),
        "dict_type": _("The request body must be a JSON object."),
        "decimal_parsing": _("Enter a number."),
        "decimal_type": _("Enter a number."),
        "float_parsing": _("Enter a number."),
        "finite_number": _("Enter a finite number."),
        "greater_than": _("Enter a number greater than %(limit)s.") % {"limit": ctx.get("gt")},
        "greater_than_equal": _("Enter a number of at least %(limit)s.") % {"limit": ctx.get("ge")},
        "less_than_equal": _("Enter a number of at most %(limit)s.") % {"limit": ctx.get("le")},
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "datetime_parsing": _("Enter a date and time as YYYY-MM-DDTHH:MM."),
        "datetime_from_date_parsing": _("Enter a date and time as YYYY-MM-DDTHH:MM."),
        "unstorable_text": _("This text contains a NUL character or a broken Unicode sequence."),
    }
    return str(messages.get(kind, error.get("msg", _("This value is not valid."))))


def _field_name(error: dict[str, Any]) -> str:
    location = [
        str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path")
    ]
    return ".".join(location)


@api.exception_handler(NinjaValidationError)
def on_invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [{"field": _field_name(e), "message": _pydantic_message(e)} for e in exc.errors]
    return api.create_response(
        request, {"detail": _("The request has errors."), "errors": errors}, status=422
    )


@api.exception_handler(DjangoValidationError)
def on_rejected_by_verb(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "", "message": message} for message in exc.messages]
    return api.create_response(
        request, {"detail": _("The request has errors."), "errors": errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = _("Send a valid, unrevoked API token in the header: Authorization: Bearer hvn_…")
    return api.create_response(request, {"detail": detail}, status=401)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
def on_out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database (or date arithmetic) could not take a value the request sent: a number too large for
    its column, say. The verbs write in one transaction, so nothing of the request was kept."""
    problem = {"field": "", "message": _("A value in the request is too large or out of range.")}
    return api.create_response(
        request, {"detail": _("The request has errors."), "errors": [problem]}, status=422
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, NinjaValidationError):
        # Ninja wraps whatever its body parser raises in a 400; the parser's refusal is a 422 like any other.
        return on_invalid_input(request, exc.__cause__)
    detail = str(exc) if exc.status_code != 400 else _("The request body could not be read: send JSON.")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)
