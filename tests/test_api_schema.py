import yaml


def schema(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_describes_the_v1_contract(client, db):
    doc = schema(client)
    paths = doc["paths"]
    assert set(paths["/api/v1/episodes/"]) >= {"get", "post"}
    assert set(paths["/api/v1/episodes/{id}/"]) >= {"get", "put", "patch", "delete"}
    assert "post" in paths["/api/v1/accounts/"] and "post" in paths["/api/v1/auth/token/"]
    params = {p["name"] for p in paths["/api/v1/episodes/"]["get"]["parameters"]}
    assert {"from", "to", "site", "page"} <= params
    assert {"200", "201"} <= set(paths["/api/v1/episodes/"]["post"]["responses"])


def test_the_schema_names_every_field_and_enum_value(client, db):
    components = schema(client)["components"]["schemas"]
    episode = components["Episode"]["properties"]
    assert set(episode) == {
        "id",
        "started_at",
        "duration_seconds",
        "site",
        "side",
        "intensity",
        "activity",
        "activity_detail",
        "hydration",
        "fluid_ml",
        "symptoms",
        "recent_fluid_loss",
        "fluid_loss",
        "relief",
        "relief_helped",
        "notes",
        "time_zone",
        "created_at",
        "updated_at",
    }
    enums = {name: spec.get("enum") for name, spec in components.items()}
    assert enums["SiteEnum"] == [
        "inner_thigh",
        "back_of_thigh",
        "front_of_thigh",
        "calf",
        "foot",
        "other",
    ]
    assert enums["ActivityEnum"] == [
        "resting",
        "sleeping",
        "exercise",
        "walking",
        "standing_up",
        "sitting",
        "other",
    ]
    assert episode["intensity"]["maximum"] == 10 and episode["duration_seconds"]["maximum"] == 86400


def test_the_docs_page_gets_its_own_script(client, db):
    response = client.get("/api/docs/", {"script": ""})
    assert response.status_code == 200 and "SwaggerUIBundle" in response.content.decode()


def test_the_docs_page_loads_without_any_other_host(client, db):
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "https://" not in html


def test_the_schema_validates_without_warnings(db):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_the_schema_describes_medicines_alerts_and_the_report_summary(client, db):
    doc = schema(client)
    paths = doc["paths"]
    assert set(paths["/api/v1/medications/{id}/"]) >= {"get", "put", "patch", "delete"}
    assert "post" in paths["/api/v1/alerts/{id}/acknowledge/"]
    params = {p["name"] for p in paths["/api/v1/reports/summary/"]["get"]["parameters"]}
    assert {"from", "to"} <= params
    alert = doc["components"]["schemas"]["Alert"]["properties"]
    assert set(alert) == {
        "id",
        "rule",
        "level",
        "message",
        "reason",
        "episodes",
        "created_at",
        "acknowledged_at",
        "sources",
    }
    assert "from" in doc["components"]["schemas"]["ReportSummary"]["properties"]


def test_every_operation_lists_its_errors_as_problem_details(client, db):
    paths = schema(client)["paths"]
    create = paths["/api/v1/episodes/"]["post"]["responses"]
    assert {"400", "401", "410", "415"} <= set(create)
    for status in ("400", "401", "410", "415"):
        assert set(create[status]["content"]) == {"application/problem+json"}
    assert create["400"]["content"]["application/problem+json"]["schema"]["$ref"].endswith(
        "/ValidationProblem"
    )
    one = paths["/api/v1/episodes/{id}/"]
    assert {"401", "404"} <= set(one["get"]["responses"]) and "400" not in one["get"]["responses"]
    assert {"400", "401", "404", "415"} <= set(one["patch"]["responses"])
    token = paths["/api/v1/auth/token/"]["post"]["responses"]
    assert "Retry-After" in token["429"]["headers"] and "401" not in token


def test_the_token_is_an_http_bearer_scheme_and_the_token_endpoint_needs_none(client, db):
    doc = schema(client)
    assert doc["components"]["securitySchemes"]["tokenAuth"]["type"] == "http"
    assert doc["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"
    for path in ("/api/v1/auth/token/", "/api/v1/accounts/"):
        assert doc["paths"][path]["post"]["security"] == [{}]
    assert {"tokenAuth": []} in doc["paths"]["/api/v1/episodes/"]["get"]["security"]


def test_every_field_of_a_stored_episode_is_required_in_responses(client, db):
    episode = schema(client)["components"]["schemas"]["Episode"]
    assert set(episode["required"]) == set(episode["properties"])


def test_the_schema_states_the_rules_it_can_and_describes_the_rest(client, db):
    components = schema(client)["components"]["schemas"]
    request = components["EpisodeRequest"]["properties"]
    assert [ref["$ref"].rsplit("/", 1)[1] for ref in request["relief_helped"]["oneOf"]] == [
        "ReliefHelpedEnum",
        "NullEnum",
    ]
    assert request["id"]["format"] == "uuid"
    assert request["started_at"]["pattern"] and "UTC offset" in request["started_at"]["description"]
    assert "5 minutes in the future" in request["started_at"]["description"]
    assert request["notes"]["maxLength"] == 2000 and request["fluid_ml"]["maximum"] == 10000
    assert (
        "not before `started_on`"
        in components["Medication"]["properties"]["stopped_on"]["description"]
    )
    assert components["RegistrationRequest"]["properties"]["email"]["format"] == "email"
    assert "email" not in components["Account"]["required"]
    assert set(components["PaginatedEpisodeList"]["required"]) == {
        "count",
        "next",
        "previous",
        "results",
    }


def test_every_path_id_is_a_uuid(client, db):
    for path, operations in schema(client)["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    assert parameter["schema"]["format"] == "uuid", path


def test_from_and_to_each_say_their_default(client, db):
    paths = schema(client)["paths"]
    for path in ("/api/v1/reports/summary/", "/api/v1/reports/physician.pdf"):
        described = {p["name"]: p["description"] for p in paths[path]["get"]["parameters"]}
        assert "Default:" in described["from"] and "Default:" in described["to"]


def test_what_a_create_answers_links_to_reading_changing_and_deleting_it(client, db):
    paths = schema(client)["paths"]
    for path in ("/api/v1/episodes/", "/api/v1/medications/"):
        links = paths[path]["post"]["responses"]["201"]["links"]
        assert set(links) == {"GetCreated", "PutCreated", "PatchCreated", "DeleteCreated"}
        assert all(link["parameters"] == {"id": "$response.body#/id"} for link in links.values())


def test_a_session_write_lists_the_csrf_403_and_a_read_does_not(client, db):
    paths = schema(client)["paths"]
    assert "403" in paths["/api/v1/episodes/"]["post"]["responses"]
    assert "403" not in paths["/api/v1/episodes/"]["get"]["responses"]
    assert "403" not in paths["/api/v1/auth/token/"]["post"]["responses"]
