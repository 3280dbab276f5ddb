"""Every API error as one shape: RFC 9457 problem details (`application/problem+json`).

A client reads `status`, `title` and `detail` from any 4xx, and for a 400 the field-by-field
messages from `errors`, keyed by field name, without knowing which view answered.
"""

from http import HTTPStatus

from django.http import JsonResponse
from django.views.defaults import page_not_found
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler

PROBLEM_JSON = "application/problem+json"
INVALID = "Some of what was sent is not valid: `errors` says what, field by field."


def problem(status: int, detail: str, *, code: str = "", errors: dict | None = None) -> dict:
    """The body of one problem; `type` stays about:blank, so `title` is the HTTP phrase."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if code:
        body["code"] = code
    if errors is not None:
        body["errors"] = errors
    return body


def field_errors(detail) -> dict[str, list[str]]:
    """DRF's nested error detail as {field: [messages]}; nested fields as `outer.inner`."""
    if not isinstance(detail, dict):
        return {"non_field_errors": [str(message) for message in _as_list(detail)]}
    flat: dict[str, list[str]] = {}
    for name, value in detail.items():
        if isinstance(value, dict):
            for inner, messages in field_errors(value).items():
                flat[f"{name}.{inner}"] = messages
        else:
            flat[str(name)] = [str(message) for message in _as_list(value)]
    return flat


def _as_list(value) -> list:
    if isinstance(value, list):
        return [m for item in value for m in (_as_list(item) if isinstance(item, list) else [item])]
    return [value]


def handle(exc, context):
    """DRF's EXCEPTION_HANDLER: DRF's own answer (status, headers), then the problem body."""
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API error: a bug, which Django reports as a 500
    if isinstance(exc, exceptions.ValidationError):
        response.data = problem(
            response.status_code, INVALID, code="invalid", errors=field_errors(exc.detail)
        )
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        response.data = problem(
            response.status_code,
            str(detail) or HTTPStatus(response.status_code).description,
            code=getattr(detail, "code", ""),
            # Every 400 has `errors`: empty when no one field is to blame (JSON that won't parse).
            errors={} if response.status_code == 400 else None,
        )
    response.content_type = PROBLEM_JSON
    return response


def problem_response(
    status: int, detail: str, *, code: str = "", errors: dict | None = None
) -> JsonResponse:
    """A problem answered outside DRF's views (django-axes' lockout, the API's own 404)."""
    return JsonResponse(
        problem(status, detail, code=code, errors=errors), status=status, content_type=PROBLEM_JSON
    )


def refuse_empty_api_parameters(get_response):
    """Middleware: on the API an empty query parameter is refused, not read as absent.

    Every API parameter is a date, an enum or a number, and `?to=` is none of them: a client
    that sends it has a bug the answer should show, as the schema says."""

    def middleware(request):
        # Only the versioned API: the docs page loads its own script as `/api/docs/?script=`.
        if request.path.startswith("/api/v1/"):
            empty = sorted({name for name, values in request.GET.lists() if "" in values})
            if empty:
                errors = {name: ["Give a value, or leave the parameter out."] for name in empty}
                return problem_response(400, INVALID, code="invalid", errors=errors)
        return get_response(request)

    return middleware


class ProblemSerializer(serializers.Serializer):
    """For the schema: what every 4xx answer holds."""

    type = serializers.CharField(help_text="A URI naming the kind of problem; about:blank here.")
    title = serializers.CharField(help_text="The HTTP status phrase, e.g. Not Found.")
    status = serializers.IntegerField(min_value=400, max_value=599)
    detail = serializers.CharField(help_text="What went wrong, in words a person can read.")
    code = serializers.CharField(
        required=False, help_text="A stable machine-readable name, e.g. not_authenticated."
    )


class ValidationProblemSerializer(ProblemSerializer):
    """For the schema: a 400 names each bad field and what is wrong with it."""

    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field name (`non_field_errors` for the request as a whole).",
    )


def not_found(request, exception):
    """handler404: an API path that matches no route is a problem too; pages keep theirs."""
    if request.path.startswith("/api/"):
        return problem_response(404, "Nothing here: check the path.", code="not_found")
    return page_not_found(request, exception)
