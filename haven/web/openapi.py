"""Names for the schemas of the OpenAPI document at /api/v1/, where pydantic's own names would clash."""

from dataclasses import dataclass
from typing import Any

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
