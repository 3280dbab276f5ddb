import gzip
import os
import re
import subprocess
import sys

from django.contrib.staticfiles import finders

from config import settings as project_settings

BUDGET = 30 * 1024


def test_the_quick_log_with_its_css_and_js_fits_in_30_kb(alice_client):
    """What a phone downloads: the page as sent, and its CSS and JS as whitenoise serves them
    in production (gzip, see the test below)."""
    html = alice_client.get("/").content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert {a.decode() for a in assets} >= {
        "css/app.css",
        "js/quicklog.js",
        "js/outbox.js",
        "js/app.js",
    }
    total = len(html) + sum(
        len(gzip.compress(open(finders.find(a.decode()), "rb").read())) for a in assets
    )
    assert total <= BUDGET, f"{total} bytes"


def test_no_page_script_blocks_rendering(alice_client):
    for path in ["/", "/episodes/new/", "/history/", "/trends/", "/alerts/"]:
        html = alice_client.get(path).content.decode()
        for tag in re.findall(r"<script[^>]*>", html):
            assert " defer" in tag or " async" in tag, (path, tag)


def test_static_files_are_served_compressed_with_far_future_caching(tmp_path):
    """In production (DJANGO_DEBUG=0): collectstatic, then whitenoise serves a hashed name."""
    script = """
import django, re
django.setup()
from django.core.management import call_command
call_command("collectstatic", "--no-input", verbosity=0)
from django.templatetags.static import static
from django.test import Client
url = static("css/app.css")
assert re.search(r"app\\.[0-9a-f]{12}\\.css$", url), url
response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, br")
print(response.status_code, response["Content-Encoding"], response["Cache-Control"])
"""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "test-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(tmp_path),
    }
    result = subprocess.run(  # noqa: S603 - our interpreter, a fixed script
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        cwd=project_settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    status, encoding, cache = result.stdout.split(maxsplit=2)
    assert status == "200" and encoding in ("gzip", "br")
    assert "max-age=315360000" in cache and "immutable" in cache
