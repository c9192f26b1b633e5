"""Start-up: what a fresh interpreter imports for ``from infomaniak import Client`` (issue 21.3).

http.client and ssl (~15 ms of start-up) wait for the first request, aiohttp
for the first use of ``AsyncClient``; urllib3 (another ~40 ms) is never
imported by ``Client``; ``import infomaniak`` alone (what the command
line's ``--version`` needs) reads no client code at all. Measured in
``scripts/bench.py --startup``.
"""

from __future__ import annotations

import json
import subprocess
import sys

from infomaniak.testing import Emulator

HEAVY = ("urllib3", "aiohttp", "http.client", "ssl")


def _loaded_after(code: str) -> list[str]:
    """Every module a fresh interpreter holds after ``code``."""
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    modules: list[str] = json.loads(done.stdout.splitlines()[-1])
    return modules


def _heavy(modules: list[str]) -> list[str]:
    return [name for name in modules if name in HEAVY or name.startswith("aiohttp.")]


def test_importing_client_imports_no_http_library() -> None:
    assert _heavy(_loaded_after("from infomaniak import Client")) == []


def test_a_client_made_but_unused_imports_no_http_library() -> None:
    # The command line's --help reads the signatures of such a client.
    code = (
        "from infomaniak import Client\n"
        "client = Client(token='t', base_url='http://127.0.0.1:9/some-prefix')\n"
        "client.cloud\n"
        "client.close()\n"
    )
    assert _heavy(_loaded_after(code)) == []


def test_importing_the_package_reads_no_client_code() -> None:
    modules = _loaded_after("import infomaniak\ninfomaniak.__version__")
    assert [name for name in modules if name.startswith("infomaniak")] == [
        "infomaniak",
        "infomaniak._version",
    ]
    assert _heavy(modules) == []


def test_requests_through_client_never_import_urllib3(emulator: Emulator) -> None:
    # The blocking transport is the standard library's http.client: urllib3's
    # import alone cost more than half of `import urllib3`'s start-up budget.
    code = (
        "from infomaniak import Client\n"
        f"with Client(token={emulator.token!r}, base_url={emulator.url!r}) as client:\n"
        "    print(json.dumps([c.id for c in client.cloud.list(account_id=42)]))\n"
        "    client.cloud.get(public_cloud_id=1332)\n"
    )
    probe = (
        f"import sys, json\n{code}\n"
        "print(json.dumps(['urllib3' in sys.modules, 'http.client' in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    ids, (urllib3_loaded, http_client_loaded) = (
        json.loads(line) for line in done.stdout.splitlines()
    )
    assert ids and all(isinstance(i, int) for i in ids)
    assert urllib3_loaded is False
    assert http_client_loaded is True


def test_first_request_that_cannot_connect_says_so() -> None:
    # http.client's exceptions are bound with the first connection: a first
    # request that fails is still told apart (not a NameError, not a bare OSError).
    code = (
        "from infomaniak import Client, errors\n"
        "client = Client(token='t', base_url='http://127.0.0.1:9', rate_limit=None,\n"
        "                max_retries=0)\n"
        "try:\n"
        "    client.cloud.config.get(account_id=1)\n"
        "except errors.APIConnectionError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "cannot connect to 127.0.0.1:9" in done.stdout


def test_command_line_help_and_version_import_no_http_library() -> None:
    for args in (["--help"], ["--version"], ["cloud", "--help"]):
        code = (
            "import contextlib, io\n"
            "from infomaniak.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    assert main({args!r}) == 0\n"
        )
        assert _heavy(_loaded_after(code)) == [], args


def _infomaniak(modules: list[str], *prefixes: str) -> list[str]:
    return [name for name in modules if name.startswith(prefixes)]


def test_importing_client_builds_no_resource_nor_model() -> None:
    # client.cloud and client.tasks are made on first use, with their models.
    modules = _loaded_after("from infomaniak import Client")
    assert _infomaniak(modules, "infomaniak.models.cloud.", "infomaniak._sync.resources.") == []
    code = "from infomaniak import Client\nClient(token='t', base_url='http://127.0.0.1:9').tasks\n"
    modules = _loaded_after(code)
    assert "infomaniak.models.cloud._task" in modules
    assert "infomaniak.models.cloud._project" not in modules


def test_importing_one_model_builds_its_module_alone() -> None:
    # Creating attrs classes is most of what a model costs to import: the
    # package's names load on first use, each with its own module only.
    modules = _loaded_after("from infomaniak.models.cloud import PublicCloud")
    assert _infomaniak(modules, "infomaniak.models.") == [
        "infomaniak.models._model",  # the models' shared __repr__ (983946b)
        "infomaniak.models.cloud",
        "infomaniak.models.cloud._public_cloud",
    ]


def test_command_line_list_reads_only_the_command_it_runs(emulator: Emulator) -> None:
    # `infomaniak cloud list` builds PublicCloud (and what it nests), not the
    # projects' models, and reads the `cloud` resource alone: not its
    # projects, Kubernetes or database sub-resources.
    code = (
        "import contextlib, io\n"
        "from infomaniak.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    assert main(['--base-url', {emulator.url!r}, '--token', {emulator.token!r},\n"
        "                 '-o', 'json', 'cloud', 'list', '--account-id', '42']) == 0\n"
        "assert json.loads(out.getvalue())\n"
    )
    modules = _loaded_after(code)
    assert "infomaniak.models.cloud._public_cloud" in modules
    assert (
        _infomaniak(
            modules,
            "infomaniak.models.cloud._project",
            "infomaniak.models.cloud._kubernetes",
            "infomaniak.models.cloud._database",
            "infomaniak._sync.resources.projects",
            "infomaniak._sync.resources.kubernetes",
            "infomaniak._sync.resources.database",
            "infomaniak._async",
            "infomaniak.testing",
        )
        == []
    )
    assert [name for name in modules if name.startswith(("rich", "yaml", "aiohttp"))] == []
