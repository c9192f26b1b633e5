"""scripts/examples/database.py, the issue's DBaaS example, runs end to end against
its embedded emulator, blocking and async, and prints no secret."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "examples" / "database.py"


def test_database_example_runs_against_the_emulator() -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("INFOMANIAK_")  # no token: the script embeds an emulator
    }
    done = subprocess.run(
        [sys.executable, str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "# emulator at http://127.0.0.1:" in out
    assert "## blocking Client" in out and "## AsyncClient" in out
    assert re.search(r"^service: \d+ orders ready$", out, re.M)
    assert re.search(r"^service: \d+ orders-async ready$", out, re.M)
    assert re.search(r"^backup: \S+-pcdb-\d+ Succeeded$", out, re.M)
    assert re.search(r"^restore: rst-\w+ Succeeded -> new service \d+$", out, re.M)
    assert "'sql_mode': 'STRICT_ALL_TABLES'" in out
    assert re.search(r"^admin password: \d+ characters \(not printed\)$", out, re.M)
    repr_line = next(line for line in out.splitlines() if line.startswith("repr: "))
    assert "host=" in repr_line and "user='root'" in repr_line
    assert "password" not in repr_line and "BEGIN CERTIFICATE" not in out
    assert "mysql://" not in out  # the URI carries the password
    listed = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert "My Database Service ready 8.0.42" in listed and "orders-copy ready 8.0.42" in listed
    assert re.search(r"^deleted: \d+ \d+$", out, re.M)
    assert done.stderr == ""
