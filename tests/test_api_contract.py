"""The live /api/schema/ is a valid OpenAPI document and lints clean with Redocly's
recommended rules (the few left off are named and justified in tests/contract/redocly.yaml)."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".contract-tools"
VALIDATOR = TOOLS / "venv/bin/openapi-spec-validator"
REDOCLY = TOOLS / "node_modules/.bin/redocly"


@pytest.fixture
def live_schema(client, db, tmp_path) -> Path:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    path = tmp_path / "schema.json"
    path.write_bytes(response.content)
    return path


def run(*command) -> subprocess.CompletedProcess:
    assert Path(command[0]).exists(), "run `make contract-tools` (make test does) to install it"
    return subprocess.run(  # noqa: S603 (our own pinned tools, our own arguments)
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=300,
        # Nothing leaves the machine: no usage report, no update check.
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )


def test_the_schema_validates_with_openapi_spec_validator(live_schema):
    result = run(VALIDATOR, live_schema)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stdout


def test_the_schema_lints_clean_with_redocly(live_schema):
    result = run(
        REDOCLY,
        "lint",
        "--config",
        ROOT / "tests/contract/redocly.yaml",
        "--format",
        "stylish",
        "--max-problems",
        "1000",
        live_schema,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout and "warning" not in result.stdout, result.stdout


def test_the_redocly_config_justifies_every_rule_it_turns_off():
    lines = (ROOT / "tests/contract/redocly.yaml").read_text().splitlines()
    for number, line in enumerate(lines):
        if line.strip().endswith(": off"):
            assert lines[number - 1].strip().startswith("#"), line
