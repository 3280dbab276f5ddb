"""`make run` prints only addresses its server listens on: runserver 0.0.0.0 is IPv4 only."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def test_make_run_lists_the_ipv4_addresses_and_leaves_ipv6_out(tmp_path):
    fake = tmp_path / "hostname"
    fake.write_text("#!/bin/sh\necho '192.0.2.2 10.0.0.7 fd00::2 2001:db8::1 '\n")
    fake.chmod(0o755)
    # PY=true: no install, no migrate, no server; only what make prints.
    result = subprocess.run(
        [shutil.which("make"), "-s", "-o", "install", "run", "PY=true", "PORT=8000"],
        cwd=ROOT,
        env={"PATH": f"{tmp_path}:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    assert "http://192.0.2.2:8000/" in out and "http://10.0.0.7:8000/" in out
    assert "fd00" not in out and "2001:db8" not in out and "[" not in out
    assert (
        "Plain HTTP on a phone works online only: for offline and install, make serve-https." in out
    )
