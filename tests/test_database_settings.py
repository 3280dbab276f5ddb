import json
import os
import subprocess
import sys

from django.db import connection

from config import settings as project_settings


def settings_with(env: dict) -> dict:
    """The DATABASES the settings module builds for this environment, read in a fresh process."""
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps(s.DATABASES['default'], default=str))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=project_settings.BASE_DIR,
    )
    return json.loads(result.stdout)


def test_sqlite_is_the_default_in_the_project_folder_with_wal_and_immediate_writes():
    db = settings_with({"DATABASE_URL": ""})
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(project_settings.BASE_DIR / "db.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert "synchronous=FULL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert db["OPTIONS"]["timeout"] >= 5


def test_database_url_switches_to_postgresql():
    db = settings_with({"DATABASE_URL": "postgres://u:p@db.example:5433/cramps"})
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["HOST"], db["PORT"]) == ("cramps", "db.example", 5433)


def test_postgresql_prepares_repeated_statements_unless_told_not_to():
    url = {"DATABASE_URL": "postgres://u:p@db.example:5433/cramps"}
    prepared = settings_with(url)["OPTIONS"]
    assert prepared == {"server_side_binding": True, "prepare_threshold": 5}
    behind_a_pooler = settings_with({**url, "DJANGO_DB_PREPARED_STATEMENTS": "0"})
    assert "prepare_threshold" not in behind_a_pooler.get("OPTIONS", {})


def test_the_running_database_is_set_up_as_configured(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # The test database lives in memory, where WAL does not apply; the rest does.
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2  # FULL
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
            assert connection.transaction_mode == "IMMEDIATE"
        else:
            assert connection.vendor == "postgresql"
            cursor.execute("SHOW server_version")
            assert cursor.fetchone()[0]
            assert connection.connection.prepare_threshold == 5
