"""The emulator in a user's own project, as docs/emulator.md shows it (issue 18,
points 3 and 4): a fresh project directory with the documented ``pyproject.toml``,
``conftest.py`` and test file, run by pytest in a subprocess; and the emulator
without ``jsonschema`` (a plain install, without the ``testing`` extra)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "emulator.md"

# Python is started with jsonschema unimportable, as in an install without the extra.
BLOCK_JSONSCHEMA = "import sys; sys.modules['jsonschema'] = None\n"


def _blocks(language: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.S | re.M)


def _documented_project(root: Path) -> None:
    (toml,) = [block for block in _blocks("toml") if "asyncio_mode" in block]
    (conftest,) = [block for block in _blocks("py") if block.startswith("pytest_plugins")]
    (tests,) = [block for block in _blocks("py") if "def test_rename_project" in block]
    (root / "pyproject.toml").write_text(toml, encoding="utf-8")
    (root / "conftest.py").write_text(conftest, encoding="utf-8")
    (root / "tests").mkdir()
    (root / "tests" / "test_example.py").write_text(tests, encoding="utf-8")


def _pytest(root: Path, *, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    for name, value in (env or {}).items():
        environment[name] = os.pathsep.join(filter(None, [value, environment.get(name)]))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "-W", "default"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_documented_fixture_example_passes_in_a_fresh_project(tmp_path: Path) -> None:
    _documented_project(tmp_path)
    result = _pytest(tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"\b2 passed\b", output), output
    assert "PASSED tests/test_example.py::test_rename_project" in output
    assert "PASSED tests/test_example.py::test_list_async" in output
    assert "warning" not in output.lower(), output


def test_the_fixture_without_jsonschema_warns_nothing(tmp_path: Path) -> None:
    _documented_project(tmp_path)
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(BLOCK_JSONSCHEMA, encoding="utf-8")
    result = _pytest(tmp_path, env={"PYTHONPATH": str(blocker)})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"\b2 passed\b", output), output
    assert "RuntimeWarning" not in output and "Traceback" not in output, output
    # The one line, among the test's captured stderr that -rA shows.
    assert output.count("jsonschema is not installed") == 1, output


def test_the_emulator_without_jsonschema_says_one_line() -> None:
    script = BLOCK_JSONSCHEMA + (
        "import urllib.request\n"
        "from infomaniak.testing import Emulator\n"
        "with Emulator().in_thread() as emulator:\n"
        "    for _ in range(3):\n"
        "        request = urllib.request.Request(\n"
        "            emulator.url + '/1/public_clouds/config?account_id=42',\n"
        "            headers={'Authorization': 'Bearer emulator-token'},\n"
        "        )\n"
        "        print(urllib.request.urlopen(request).status)\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "default", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "200", "200"]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "jsonschema is not installed" in lines[0] and "[testing]" in lines[0]


def test_the_command_line_without_jsonschema_says_one_line() -> None:
    script = BLOCK_JSONSCHEMA + (
        "from infomaniak.testing.__main__ import main\nraise SystemExit(main())\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-W", "default", "-c", script, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().split("=", 1)[1]
        process.stdout.readline()
        import urllib.request

        for _ in range(2):
            request = urllib.request.Request(
                url + "/1/public_clouds/config?account_id=42",
                headers={"Authorization": "Bearer emulator-token"},
            )
            with urllib.request.urlopen(request, timeout=10) as answer:
                assert answer.status == 200
        process.terminate()
        assert process.wait(10) == 0
        assert process.stderr is not None
        lines = process.stderr.read().strip().splitlines()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    assert len(lines) == 1, lines
    assert "jsonschema is not installed" in lines[0] and "[testing]" in lines[0]
