"""Start and stop what a benchmark runs against: a PostgreSQL cluster and gunicorn."""

import glob
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def bench_env(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
    }


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout


@contextmanager
def sqlite_database():
    folder = tempfile.mkdtemp(prefix="cramp-bench-")
    try:
        yield f"sqlite:///{folder}/bench.sqlite3"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def postgres_database(port: int = 54339):
    """A throwaway cluster, as .ci/run makes one: initdb, start, yield its URL, stop."""
    initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdb:
        raise SystemExit("PostgreSQL is not installed: apt-get install postgresql")
    bin_dir = Path(initdb[-1]).parent
    folder = tempfile.mkdtemp(prefix="cramp-bench-pg-")
    shutil.chown(folder, "postgres", "postgres")

    def as_postgres(*args):
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True)

    as_postgres(str(bin_dir / "initdb"), "-D", f"{folder}/data", "-A", "trust", "-U", "postgres")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=100"
    pg_ctl = str(bin_dir / "pg_ctl")
    as_postgres(pg_ctl, "-D", f"{folder}/data", "-l", f"{folder}/log", "-w", "-o", options, "start")
    try:
        psql = [str(bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-qc"]
        as_postgres(*psql, "CREATE ROLE bench LOGIN SUPERUSER PASSWORD 'bench'")
        as_postgres(*psql, "CREATE DATABASE bench OWNER bench")
        yield f"postgres://bench:bench@127.0.0.1:{port}/bench"
    finally:
        as_postgres(pg_ctl, "-D", f"{folder}/data", "-m", "fast", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def gunicorn(env: dict, port: int, workers: int = 2):
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_until_up(port, "/bench/bare/")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_up(port: int, path: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    raise RuntimeError(f"server did not answer on port {port}")
