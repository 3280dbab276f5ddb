"""Reading the API's RFC 9457 problem details in tests."""


def field_errors(response) -> dict[str, list[str]]:
    """The field-by-field messages of a 400, after checking it is a validation problem."""
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["title"] == "Bad Request"
    return body["errors"]
