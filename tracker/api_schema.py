"""How /api/schema/ tells a client generator the whole truth: each operation lists the
errors it can answer (as problem details), and a response field is required when it is
always there."""

from django.core.validators import ProhibitNullCharactersValidator
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from .problems import PROBLEM_JSON, ProblemSerializer, ValidationProblemSerializer

NULL_ENUM = "#/components/schemas/NullEnum"
NO_NUL = r"^[^\u0000]*$"
RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer", "minimum": 0},
        "description": "Seconds to wait before trying again.",
    }
}
TOO_MANY = OpenApiResponse(
    ProblemSerializer, "Too many requests in a short time: wait `Retry-After` seconds."
)
ERRORS = {
    400: "Something sent is not valid; `errors` names each field and what is wrong with it.",
    401: "No key, or one that expired or was revoked: ask /api/v1/auth/token/ for a new one.",
    403: "A signed-in browser session sent no valid CSRF token (X-CSRFToken); keys need none.",
    404: "Not found, or it belongs to someone else.",
    415: "The body must be JSON (`Content-Type: application/json`).",
}


# A one-line summary for each operation that has none of its own, by what it does.
SUMMARIES = {
    "list": "List the user's {}",
    "retrieve": "Read one of the user's {}",
    "create": "Add to the user's {}",
    "update": "Replace one of the user's {}",
    "partial_update": "Change some fields of one of the user's {}",
    "destroy": "Delete one of the user's {}",
}


class AutoSchema(openapi.AutoSchema):
    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response" and isinstance(serializer, serializers.ModelSerializer):
            # A stored row has every field: null where empty, never absent.
            schema["required"] = list(schema["properties"])
        if direction == "request":
            _forbid_nul(serializer, schema["properties"])
        return schema

    def get_summary(self):
        summary = super().get_summary()
        action = getattr(self.view, "action", None)
        if summary or action not in SUMMARIES:
            return summary
        return SUMMARIES[action].format(
            self.view.basename.replace("-", " ").replace("_", " ") + "s"
        )

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        # Stated, not implied: the token and register endpoints take no key.
        operation.setdefault("security", [])
        responses = operation["responses"]
        for status in _errors_of(operation, self.method):
            if str(status) not in responses:
                responses[str(status)] = {"description": ERRORS[status]}
        for status, response in responses.items():
            if int(status) >= 400:
                self._as_problem(int(status), response)
        return operation

    def _as_problem(self, status: int, response: dict) -> None:
        body = ValidationProblemSerializer if status == 400 else ProblemSerializer
        # A body of its own kind stays beside the problem (the FHIR export's OperationOutcome).
        own = {k: v for k, v in response.get("content", {}).items() if k != "application/json"}
        response["content"] = {
            **own,
            PROBLEM_JSON: {"schema": self.resolve_serializer(body, "response").ref},
        }
        if status == 429:
            response["headers"] = RETRY_AFTER


def _forbid_nul(serializer, properties: dict) -> None:
    """Plain text fields refuse a NUL (PostgreSQL text cannot hold one): say so."""
    for name, field in serializer.fields.items():
        prop = properties.get(name, {})
        plain = prop.get("type") == "string" and not {"pattern", "format"} & set(prop)
        if plain and any(isinstance(v, ProhibitNullCharactersValidator) for v in field.validators):
            prop["pattern"] = NO_NUL


def _errors_of(operation: dict, method: str) -> list[int]:
    """The errors any operation of this shape can answer, read from the operation itself."""
    where = {parameter["in"] for parameter in operation.get("parameters", [])}
    query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    has_body = "requestBody" in operation
    errors = []
    if has_body or query:
        errors.append(400)
    if operation["security"] and {} not in operation["security"]:
        errors.append(401)
    if {"cookieAuth": []} in operation["security"] and method not in ("GET", "HEAD", "OPTIONS"):
        errors.append(403)
    if "path" in where or "page" in query:
        errors.append(404)
    if has_body:
        errors.append(415)
    return errors


def drop_redundant_nullable(result, generator, request, public):
    """A postprocessing hook, after drf-spectacular's enum hook: a field that is one of an enum
    or null is `oneOf: [Enum, NullEnum]`, which takes null already; the `nullable` beside it
    has no `type` to apply to (Redocly's nullable-type-sibling)."""
    for component in result.get("components", {}).get("schemas", {}).values():
        for field in component.get("properties", {}).values():
            if {"$ref": NULL_ENUM} in field.get("oneOf", []):
                field.pop("nullable", None)
    return result


def link_created_to_its_operations(result, generator, request, public):
    """A postprocessing hook: what a create answers links to reading, changing and deleting
    it (OpenAPI links), so clients and schemathesis's stateful tests can follow them."""
    paths = result.get("paths", {})
    for path, operations in paths.items():
        created = operations.get("post", {}).get("responses", {}).get("201")
        detail = paths.get(f"{path}{{id}}/", {})
        if created is None or not detail:
            continue
        created["links"] = {
            f"{method.capitalize()}Created": {
                "operationId": operation["operationId"],
                "parameters": {"id": "$response.body#/id"},
            }
            for method, operation in detail.items()
            if method in ("get", "put", "patch", "delete")
        }
    return result
