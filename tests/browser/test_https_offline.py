"""Offline on a real phone: the app as deploy/ runs it (gunicorn with production settings
behind Caddy and its local CA), opened at a host name that is not localhost, so only HTTPS
with a trusted certificate makes it a secure context where the service worker may run."""

import os
import re
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.browser.test_offline import controlled_by_service_worker, log_in, log_with_timer
from tracker.models import Episode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOST = "cramp.test"  # not localhost: Chromium treats plain-HTTP localhost as secure
DEPLOY = settings.BASE_DIR / "deploy"
VENV_BIN = Path(sys.executable).parent
CADDY = "/usr/bin/caddy"  # Debian's caddy, as make test installs it
CERTUTIL = "/usr/bin/certutil"  # Debian's libnss3-tools


def free_ports(count: int) -> list[int]:
    """Ports nothing listens on: from CRAMP_TEST_PORTS ("8500-8599") on a machine that hands
    out ranges, otherwise any the system offers."""
    first, _, last = os.environ.get("CRAMP_TEST_PORTS", "0-0").partition("-")
    candidates = range(int(first), int(last) + 1) if int(first) else [0] * count
    ports = []
    for candidate in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            ports.append(probe.getsockname()[1])
        if len(ports) == count:
            return ports
    raise RuntimeError("no free ports for the HTTPS test")


def wait_until(condition, what: str, processes=(), timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[0]} exited while waiting for {what}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout} s for {what}")
        time.sleep(0.1)


def database_url() -> str:
    """The test database, for gunicorn in its own process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = f"{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def production_env(**extra: str) -> dict[str, str]:
    """The environment deploy/cramp-tracker.env gives gunicorn, for cramp.test."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "https-test-" + os.urandom(16).hex(),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_TRUSTED_PROXY_COUNT": "1",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        **extra,
    }


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory(prefix="cramp-https-") as path:
        yield Path(path)


@pytest.fixture(scope="module")
def static_root(workdir):
    """The hashed, compressed static files whitenoise serves in production."""
    root = workdir / "static"
    env = production_env(DJANGO_STATIC_ROOT=str(root))
    command = [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"]
    subprocess.run(command, cwd=settings.BASE_DIR, env=env, check=True)
    return root


def start(command: list, log: Path, env: dict) -> subprocess.Popen:
    with log.open("wb") as output:
        return subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def answers_over_https(port: int, root_ca: Path) -> bool:
    """The log-in page answers through Caddy with a certificate the CA vouches for."""
    if not root_ca.exists():
        return False
    context = ssl.create_default_context(cafile=root_ca)
    request = f"GET /accounts/login/ HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n"
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname=HOST) as tls:
                tls.sendall(request.encode())
                return tls.recv(12) == b"HTTP/1.1 200"
    except OSError:
        return False


@pytest.fixture
def https_site(transactional_db, workdir, static_root):
    """gunicorn and Caddy (deploy/Caddyfile.try); yields the site's URL and Caddy's root CA."""
    app_port, http_port, https_port = free_ports(3)
    gunicorn = start(
        [
            VENV_BIN / "gunicorn",
            "config.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{app_port}",
            "--no-control-socket",
        ],
        workdir / "gunicorn.log",
        production_env(DATABASE_URL=database_url(), DJANGO_STATIC_ROOT=str(static_root)),
    )
    caddy_data = workdir / "caddy"
    caddy = start(
        [CADDY, "run", "--config", DEPLOY / "Caddyfile.try", "--adapter", "caddyfile"],
        workdir / "caddy.log",
        {
            **os.environ,
            "CRAMP_HOST": HOST,
            "CRAMP_UPSTREAM": f"127.0.0.1:{app_port}",
            "CRAMP_HTTP_PORT": str(http_port),
            "CRAMP_HTTPS_PORT": str(https_port),
            "CRAMP_CADDY_DATA": str(caddy_data),
            # Caddy keeps nothing in this machine's own folders.
            "XDG_CONFIG_HOME": str(workdir / "config"),
            "XDG_DATA_HOME": str(workdir / "data"),
        },
    )
    root_ca = caddy_data / "pki" / "authorities" / "local" / "root.crt"
    try:
        wait_until(lambda: answers_over_https(https_port, root_ca), "the site", [gunicorn, caddy])
        yield f"https://{HOST}:{https_port}", root_ca
    finally:
        stop(caddy)
        stop(gunicorn)


def home_trusting(root_ca: Path, home: Path) -> Path:
    """A HOME whose NSS database trusts Caddy's root, as a phone does once it is installed."""
    nssdb = f"sql:{home / '.pki' / 'nssdb'}"
    (home / ".pki" / "nssdb").mkdir(parents=True, exist_ok=True)
    subprocess.run([CERTUTIL, "-N", "-d", nssdb, "--empty-password"], check=True)
    add = [CERTUTIL, "-A", "-d", nssdb, "-n", "Caddy local CA", "-t", "C,,", "-i", root_ca]
    subprocess.run(add, check=True)
    return home


@pytest.fixture
def olive(user):
    """Olive with her password hashed as production does: gunicorn knows no test hasher."""
    hasher = Argon2PasswordHasher()
    user.password = hasher.encode("olive-password-1", hasher.salt())
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def phone_over_https(playwright, https_site, workdir):
    url, root_ca = https_site
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {HOST} 127.0.0.1"],
        env={**os.environ, "HOME": str(home_trusting(root_ca, workdir / "home"))},
    )
    context = browser.new_context(viewport=PHONE, timezone_id="Europe/Berlin", base_url=url)
    yield context.new_page()
    browser.close()


def files_not_in_the_service_workers_cache(page) -> list[str]:
    """The page's scripts and styles the service worker could not give without a network
    (the browser's own HTTP cache, which a phone may empty any time, left aside)."""
    return page.evaluate("""Promise.all(
        [...document.querySelectorAll("script[src], link[rel=stylesheet]")]
            .map((element) => element.src || element.href)
            .map((url) => caches.match(url).then((found) => (found ? null : url)))
    ).then((urls) => urls.filter(Boolean))""")


def test_a_cramp_logged_offline_over_https_reaches_the_server_once(
    phone_over_https, olive, screenshot
):
    phone = phone_over_https
    log_in(phone)
    expect(phone.locator("[data-timer-start]")).to_be_visible()
    assert phone.evaluate("isSecureContext")
    controlled_by_service_worker(phone)
    screenshot(phone, "https-0-online")
    phone.context.set_offline(True)
    phone.reload()  # the quick log, its CSS and its scripts from the service worker's cache
    expect(phone.locator("[data-timer-start]")).to_be_visible()
    assert files_not_in_the_service_workers_cache(phone) == []
    log_with_timer(phone)
    expect(phone.locator("[data-outbox-status]")).to_have_text("1 waiting to sync.")
    screenshot(phone, "https-1-offline")
    assert not Episode.objects.exists()
    phone.context.set_offline(False)
    expect(phone.locator("[data-outbox-status]")).to_have_text(
        re.compile("All synced"), timeout=30_000
    )
    assert Episode.objects.filter(user=olive).count() == 1
    assert Episode.objects.count() == 1
