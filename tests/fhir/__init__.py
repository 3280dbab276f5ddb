"""HL7's FHIR R4 JSON schema (see README.md here): one validator per vendored build."""

import gzip
import json
from functools import cache
from pathlib import Path

from jsonschema import Draft6Validator

HERE = Path(__file__).parent
BUILDS = ["fhir.schema.r4-4.0.0.json.gz", "fhir.schema.r4-4.0.1-medplum.json.gz"]


@cache
def _validator(build: str) -> Draft6Validator:
    with gzip.open(HERE / build, "rt", encoding="utf-8") as schema:
        return Draft6Validator(json.load(schema))


def schema_errors(resource: dict) -> dict[str, list[str]]:
    """What each build of the R4 schema finds wrong with a resource: {build: [messages]}.

    Resources are a oneOf over every resource type; when one fails, the deepest message
    under it (the one naming the bad field, not "is not valid under any") is the useful one."""
    found = {}
    for build in BUILDS:
        messages = []
        for error in _validator(build).iter_errors(resource):
            deepest = max(_leaves(error), key=lambda e: len(e.absolute_path))
            where = "/".join(map(str, deepest.absolute_path))
            messages.append(f"{where}: {deepest.message[:200]}")
        if messages:
            found[build] = messages
    return found


def _leaves(error):
    if not error.context:
        yield error
    for inner in error.context:
        yield from _leaves(inner)
