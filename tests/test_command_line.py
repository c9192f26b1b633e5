"""The ``infomaniak`` command line, against the emulator.

Each command family runs at least once as a real subprocess (the console
script, or ``python -m infomaniak``); checks where the subprocess adds nothing
run ``infomaniak.cli.main`` in-process.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import click
import pytest
import yaml

from infomaniak import Client
from infomaniak.cli import main
from infomaniak.cli._app import _root
from infomaniak.cli._tree import ResourceNode, result_kind
from infomaniak.testing import Emulator
from infomaniak.utils import plist

CLOUD = 1332
PROJECT = 25454
SCOPE = ["--public-cloud-id", str(CLOUD), "--public-cloud-project-id", str(PROJECT)]
SCRIPT = shutil.which("infomaniak", path=str(Path(sys.executable).parent)) or "infomaniak"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFOMANIAK_")}
    env.update(extra)
    return env


def run(
    emulator: Emulator | None, *args: str, module: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``infomaniak --base-url URL --token TOKEN ARGS`` in a subprocess."""
    command = [sys.executable, "-m", "infomaniak"] if module else [SCRIPT]
    if emulator is not None:
        command += ["--base-url", emulator.url, "--token", emulator.token]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=60, env=env or _env()
    )


def invoke(
    capsys: pytest.CaptureFixture[str], emulator: Emulator | None, *args: str
) -> tuple[int, str, str]:
    """The same, in-process."""
    prefix = [] if emulator is None else ["--base-url", emulator.url, "--token", emulator.token]
    code = main([*prefix, *args])
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------------------- the tree


def _walk(obj: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every public method of the client's resource tree, found independently of the CLI."""
    cls = type(obj)
    for name in dir(cls):
        if name.startswith("_"):
            continue
        attr = inspect.getattr_static(cls, name)
        if isinstance(attr, functools.cached_property):
            yield from _walk(getattr(obj, name), (*path, name))
        elif inspect.isfunction(attr):
            yield (*path, name), getattr(obj, name)
    for name, value in vars(obj).items():
        lazy = isinstance(inspect.getattr_static(cls, name, None), functools.cached_property)
        if (
            not name.startswith("_")
            and not lazy
            and type(value).__module__.startswith("infomaniak.")
        ):
            yield from _walk(value, (*path, name))


def _command(path: tuple[str, ...]) -> click.Command | None:
    command: click.Command | None = _root()
    for part in path:
        if not isinstance(command, click.Group):
            return None
        command = command.get_command(click.Context(command), part.replace("_", "-"))
    return command


# Methods that the rule of result_kind() keeps out of the command line, by path
# (none today; a method returning e.g. a client object would be listed here).
EXCLUDED: set[tuple[str, ...]] = set()


def test_every_public_method_of_the_client_is_a_command() -> None:
    client = Client(token="t", base_url="http://127.0.0.1:9")
    methods = dict(
        item for name in ("cloud", "tasks") for item in _walk(getattr(client, name), (name,))
    )
    assert len(methods) > 60
    missing = []
    for path, method in methods.items():
        command = _command(path)
        if command is None and path not in EXCLUDED:
            missing.append(".".join(path))
        if command is not None:
            summary = inspect.getdoc(method).splitlines()[0]  # type: ignore[union-attr]
            assert command.short_help and command.short_help.split()[0] in summary
    assert missing == []
    # Spot checks of the shape the issue fixes.
    create = _command(("cloud", "kubernetes", "pools", "create"))
    assert create is not None
    flags = {opt for param in create.params for opt in getattr(param, "opts", [])}
    assert {"--public-cloud-id", "--kaas-id", "--labels", "--wait", "--timeout"} <= flags
    listing = _command(("cloud", "list"))
    assert listing is not None
    assert "--with" in {opt for param in listing.params for opt in getattr(param, "opts", [])}
    assert _command(("cloud", "database", "reset_password")) is not None
    assert _command(("cloud", "kubernetes", "flavor_filters")) is not None


@attrs.define
class _Model:
    id: int


class _Handle:
    def wait(self) -> _Model:
        raise NotImplementedError


class _ApiClient:
    """Not printable: a client object."""


class _FakeResource:
    def get(self, *, model_id: int) -> _Model:
        """Get one."""
        raise NotImplementedError

    def create(self) -> _Handle:
        """Create one."""
        raise NotImplementedError

    def api_client(self) -> _ApiClient:
        """A client object."""
        raise NotImplementedError

    def text(self) -> str:
        """Some text."""
        raise NotImplementedError


def test_which_methods_become_commands_is_one_explicit_rule() -> None:
    assert result_kind(_Model) == "model"
    assert result_kind(_Handle) == "operation"
    assert result_kind(plist[_Model]) == "page"
    assert result_kind(list[_Model]) == "list"
    assert result_kind(str) == "text"
    assert result_kind(bool) == "value"
    assert result_kind(dict[str, Any]) == "value"
    assert result_kind(_ApiClient) is None
    assert result_kind(list[_ApiClient]) is None
    node = ResourceNode(_FakeResource(), ("fake",))
    assert set(node.methods()) == {"get", "create", "api_client", "text"}
    kinds = {name: getattr(node.method(name), "kind", None) for name in node.methods()}
    assert kinds == {"get": "model", "create": "operation", "api_client": None, "text": "text"}


# ---------------------------------------------------------------------------- clusters


def test_cluster_and_pool_created_and_waited_for_in_subprocesses(
    emulator: Emulator, tmp_path: Path
) -> None:
    created = run(  # -o after the command works too (the issue's own example)
        emulator,
        "cloud",
        "kubernetes",
        "create",
        "-o",
        "json",
        *SCOPE,
        "--name",
        "prod",
        "--region",
        "dc4-a",
        "--kubernetes-version",
        "1.34",
        "--kaas-pack-id",
        "2",
        "--wait",
    )
    assert created.returncode == 0, created.stderr
    cluster = json.loads(created.stdout)
    assert (cluster["name"], cluster["status"]) == ("prod", "Active")
    # Progress on stderr, plain lines when not a terminal: status and time.
    assert "Active" in created.stderr and " s)" in created.stderr
    pool = run(
        emulator,
        "-o",
        "json",
        "cloud",
        "kubernetes",
        "pools",
        "create",
        *SCOPE,
        "--kaas-id",
        str(cluster["kaas_id"]),
        "--name",
        "workers",
        "--flavor",
        "a2-ram4-disk20-perf1",
        "--minimum-instances",
        "3",
        "--labels",
        "env=prod",
        "--labels",
        "team=web",
        "--wait",
    )
    assert pool.returncode == 0, pool.stderr
    body = json.loads(pool.stdout)
    assert (body["status"], body["available_instances"]) == ("Active", 3)
    assert body["labels"] == {"env": "prod", "team": "web"}
    # The kubeconfig: on stdout as it is, or into a 0600 file with --path.
    ids = [*SCOPE, "--kaas-id", str(cluster["kaas_id"])]
    shown = run(emulator, "cloud", "kubernetes", "kubeconfig", *ids)
    assert shown.returncode == 0 and shown.stdout.startswith("apiVersion")
    target = tmp_path / "kubeconfig.yaml"
    saved = run(emulator, "cloud", "kubernetes", "kubeconfig", *ids, "--path", str(target))
    assert saved.returncode == 0 and saved.stdout == ""
    assert target.read_text() == shown.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    # A deletion without --wait prints the operation's answer; with it, nothing.
    deleted = run(emulator, "-o", "json", "cloud", "kubernetes", "delete", *ids, "--wait")
    assert (deleted.returncode, deleted.stdout) == (0, ""), deleted.stderr


def test_an_operation_without_wait_prints_the_answer_at_once(
    capsys: pytest.CaptureFixture[str], emulator: Emulator
) -> None:
    args = ["--name", "x", "--region", "dc4-a", "--kubernetes-version", "1.34"]
    code, out, _ = invoke(
        capsys, emulator, "-o", "json", "cloud", "kubernetes", "create", *SCOPE, *args,
        "--kaas-pack-id", "2",
    )  # fmt: skip
    answer = json.loads(out)
    assert code == 0 and answer["resource"] == "kubernetes cluster"
    assert isinstance(answer["resource_id"], int)


# ------------------------------------------------------------------ projects, users, tasks


def test_projects_users_and_tasks(
    capsys: pytest.CaptureFixture[str], emulator: Emulator, tmp_path: Path
) -> None:
    secret = "S3cret-Passw0rd!"
    project = run(
        emulator, "-o", "json", "cloud", "projects", "create", "--public-cloud-id", str(CLOUD),
        "--project-name", "demo", "--user-password", secret, "--wait",
    )  # fmt: skip
    assert project.returncode == 0, project.stderr
    created = json.loads(project.stdout)
    assert (created["name"], created["status"]) == ("demo", "ok")
    # The wait followed the task, then the project.
    assert "task " in project.stderr and secret not in project.stdout + project.stderr
    ids = ["--public-cloud-id", str(CLOUD), "--public-cloud-project-id", str(PROJECT)]
    user = subprocess.run(  # the password from stdin: out of `ps` and the shell's history
        [
            SCRIPT, "--base-url", emulator.url, "--token", emulator.token, "-o", "yaml",
            "cloud", "projects", "users", "create", *ids, "--password", "-",
            "--description", "ci", "--wait",
        ],
        input=secret + "\n", capture_output=True, text=True, timeout=60, env=_env(),
    )  # fmt: skip
    sent = [r.json for r in emulator.requests if r.method == "POST" and r.path.endswith("/users")]
    assert sent[-1]["password"] == secret
    assert user.returncode == 0, user.stderr
    user_id = str(yaml.safe_load(user.stdout)["public_cloud_user_id"])
    target = tmp_path / "openrc.sh"
    openrc = run(
        emulator, "cloud", "projects", "users", "openrc", *ids,
        "--public-cloud-user-id", user_id, "--path", str(target),
    )  # fmt: skip
    assert openrc.returncode == 0 and openrc.stdout == ""
    assert "OS_" in target.read_text() and stat.S_IMODE(target.stat().st_mode) == 0o600
    code, out, _ = invoke(capsys, emulator, "-o", "json", "tasks", "list")
    tasks = json.loads(out)
    assert code == 0 and tasks
    code, out, _ = invoke(
        capsys, emulator, "-o", "json", "tasks", "get", "--task-uuid", tasks[0]["uuid"]
    )
    assert code == 0 and json.loads(out)["uuid"] == tasks[0]["uuid"]
    for area in ("config", "accesses"):
        code, out, _ = invoke(
            capsys, emulator, "-o", "json", "cloud", area, "get", "--account-id", "42"
        )
        assert code == 0 and isinstance(json.loads(out), dict)


# ---------------------------------------------------------------------------- databases


def _db_create(name: str, *extra: str) -> list[str]:
    return [
        "cloud", "database", "create", *SCOPE, "--name", name, "--type", "mysql",
        "--version", "8.0.42", "--region", "dc4-a", "--pack-id", "1", *extra,
    ]  # fmt: skip


def test_database_password_is_shown_only_on_request(emulator: Emulator, tmp_path: Path) -> None:
    quiet = run(emulator, "-o", "json", *_db_create("orders", "--wait"))
    assert quiet.returncode == 0, quiet.stderr
    service = json.loads(quiet.stdout)
    assert service["status"] == "ready" and "admin_password" not in service
    assert "password was not shown" in quiet.stderr
    hint = f"infomaniak cloud database reset-password {' '.join(SCOPE)} --dbaas-id {service['id']}"
    assert hint in quiet.stderr
    shown = run(emulator, "-o", "json", *_db_create("billing", "--show-password"))
    assert shown.returncode == 0
    password = json.loads(shown.stdout)["admin_password"]
    assert isinstance(password, str) and len(password) >= 8
    assert password not in shown.stderr
    target = tmp_path / "password"
    saved = run(emulator, "-o", "yaml", *_db_create("crm", "--password-file", str(target)))
    assert saved.returncode == 0, saved.stderr
    secret = target.read_text()
    assert secret and secret not in saved.stdout + saved.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "admin_password" not in yaml.safe_load(saved.stdout)


def test_database_backup_created_and_waited_for(emulator: Emulator) -> None:
    created = run(emulator, "-o", "json", *_db_create("orders", "--wait"))
    dbaas_id = str(json.loads(created.stdout)["id"])
    ids = [*SCOPE, "--dbaas-id", dbaas_id]
    backup = run(emulator, "-o", "json", "cloud", "database", "backups", "create", *ids, "--wait")
    assert backup.returncode == 0, backup.stderr
    assert json.loads(backup.stdout)["status"] == "Succeeded"
    listed = run(emulator, "-o", "yaml", "cloud", "database", "backups", "list", *ids)
    assert listed.returncode == 0
    assert [b["status"] for b in yaml.safe_load(listed.stdout)] == ["Succeeded"]


def test_reset_password_prints_the_connection_only_with_show_password(
    capsys: pytest.CaptureFixture[str], emulator: Emulator
) -> None:
    ids = [*SCOPE, "--dbaas-id", "7341"]
    code, out, err = invoke(
        capsys, emulator, "-o", "json", "cloud", "database", "reset-password", *ids
    )
    # Refused: the new password is given only once (tests/test_command_line_attacks.py).
    assert code == 2 and out == ""
    assert "--show-password" in err
    code, out, _ = invoke(
        capsys,
        emulator,
        "-o",
        "json",
        "cloud",
        "database",
        "reset-password",
        *ids,
        "--show-password",
    )
    assert code == 0 and json.loads(out)["password"]


# ---------------------------------------------------------------------------- lists


def test_lists_walk_every_page_or_print_one_with_page(emulator: Emulator) -> None:
    with Client(token=emulator.token, base_url=emulator.url, rate_limit=None) as client:
        every = [c.id for c in client.cloud.list(account_id=42)]
        second = [c.id for c in client.cloud.list(account_id=42, page=2, per_page=5).data]
    assert len(every) > 5
    full = run(emulator, "-o", "json", "cloud", "list", "--account-id", "42", "--per-page", "5")
    assert [c["id"] for c in json.loads(full.stdout)] == every
    page = run(
        emulator, "-o", "json", "cloud", "list", "--account-id", "42", "--per-page", "5",
        "--page", "2",
    )  # fmt: skip
    assert [c["id"] for c in json.loads(page.stdout)] == second


def test_list_filters_and_mapping_options(
    capsys: pytest.CaptureFixture[str], emulator: Emulator
) -> None:
    code, out, _ = invoke(
        capsys, emulator, "-o", "json", "cloud", "kubernetes", "list", "--account-id", "42",
        "--statuses", "Active", "--statuses", "Failed", "--order-by", "name",
        "--order-for", "name=desc",
    )  # fmt: skip
    clusters = json.loads(out)
    assert code == 0 and clusters
    assert {c["status"] for c in clusters} <= {"Active", "Failed"}
    names = [c["name"] for c in clusters]
    assert names == sorted(names, key=str.casefold, reverse=True)
    sent = emulator.requests[-1].query
    assert ("order_for[name]", "desc") in sent
    assert ("filter[statuses][]", "Active") in sent and ("filter[statuses][]", "Failed") in sent


def test_boolean_flags_and_rate_bounds(
    capsys: pytest.CaptureFixture[str], emulator: Emulator
) -> None:
    flavors = ["cloud", "kubernetes", "flavors", *SCOPE, "--region", "dc4-a"]
    code, out, _ = invoke(
        capsys, emulator, "-o", "json", *flavors, "--no-gpu-optimized",
        "--maximum-rate", "excluding_tax=0.5",
    )  # fmt: skip
    found = json.loads(out)
    assert code == 0 and found and not any(f["is_gpu_optimized"] for f in found)
    sent = emulator.requests[-1].query
    assert ("filter[gpu_optimized]", "false") in sent or ("filter[gpu_optimized]", "0") in sent
    assert any(key.startswith("filter[maximum_rate]") for key, _ in sent)
    code, _, err = invoke(capsys, emulator, *flavors, "--maximum-rate", "bogus=1")
    assert code == 2 and "excluding_tax" in err
    # A rate as one number (DBaaS packs take either form).
    code, out, _ = invoke(
        capsys, emulator, "-o", "json", "cloud", "database", "packs", "--minimum-rate", "0.001"
    )
    assert code == 0 and json.loads(out)


def test_table_and_yaml_output(capsys: pytest.CaptureFixture[str], emulator: Emulator) -> None:
    code, out, _ = invoke(capsys, emulator, "cloud", "kubernetes", "list", "--account-id", "42")
    header = out.splitlines()[0].split()
    assert code == 0 and header[:3] == ["KAAS_ID", "NAME", "STATUS"]
    assert all(line == line.rstrip() for line in out.splitlines())
    code, out, _ = invoke(capsys, emulator, "cloud", "get", "--public-cloud-id", str(CLOUD))
    assert code == 0 and out.splitlines()[0].split() == ["FIELD", "VALUE"]
    assert any(line.split()[:2] == ["id", str(CLOUD)] for line in out.splitlines())
    _, as_json, _ = invoke(capsys, emulator, "-o", "json", "cloud", "kubernetes", "regions")
    _, as_yaml, _ = invoke(capsys, emulator, "-o", "yaml", "cloud", "kubernetes", "regions")
    assert json.loads(as_json) == yaml.safe_load(as_yaml) == ["dc3-a", "dc4-a"]


def test_nested_mapping_option_takes_json(emulator: Emulator) -> None:
    done = run(
        emulator, "-o", "json",
        *_db_create("sched", "--backup-schedule", '{"scheduled_at": "03:00", "retention": 7}'),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    bad = run(emulator, *_db_create("x", "--backup-schedule", "{not json"))
    assert bad.returncode == 2 and "not valid JSON" in bad.stderr


# ---------------------------------------------------------------------------- errors


def test_exit_codes(capsys: pytest.CaptureFixture[str], emulator: Emulator) -> None:
    # Usage: a missing required option, an unknown command, a bad choice.
    assert invoke(capsys, emulator, "cloud", "get")[0] == 2
    assert invoke(capsys, emulator, "cloud", "nope")[0] == 2
    assert invoke(capsys, emulator, "-o", "xml", "cloud", "list")[0] == 2
    # The SDK's own argument checks, before anything is sent.
    before = len(emulator.requests)
    code, out, err = invoke(capsys, emulator, "cloud", "get", "--public-cloud-id", "0")
    assert (code, out) == (2, "") and "public_cloud_id" in err
    code, _, err = invoke(capsys, emulator, "cloud", "kubernetes", "list")
    assert code == 2 and "Traceback" not in err
    delete = ["cloud", "kubernetes", "delete", *SCOPE, "--kaas-id", "1"]
    code, _, err = invoke(capsys, emulator, *delete, "--timeout", "3")
    assert code == 2 and "--wait" in err
    assert len(emulator.requests) == before
    # API error: one line, the SDK's message, no traceback.
    code, out, err = invoke(capsys, emulator, "cloud", "get", "--public-cloud-id", "999999")
    assert (code, out) == (1, "")
    assert len(err.strip().splitlines()) == 1 and "404" in err and "Traceback" not in err


def test_missing_token_connection_error_and_debug(emulator: Emulator) -> None:
    no_token = run(None, "--base-url", emulator.url, "cloud", "list", "--account-id", "42")
    assert no_token.returncode == 2 and "INFOMANIAK_API_TOKEN" in no_token.stderr
    refused = run(None, "--base-url", "http://127.0.0.1:9", "--token", "t", "tasks", "list")
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
    # --debug: requests logged and the traceback shown, never the token.
    debug = run(emulator, "--debug", "cloud", "get", "--public-cloud-id", "999999")
    assert debug.returncode == 1 and "Traceback" in debug.stderr
    assert emulator.token not in debug.stdout + debug.stderr
    env_token = run(
        None, "--debug", "tasks", "list",
        env=_env(INFOMANIAK_BASE_URL=emulator.url, INFOMANIAK_API_TOKEN=emulator.token),
    )  # fmt: skip
    assert env_token.returncode == 0 and emulator.token not in env_token.stderr
    assert "GET" in env_token.stderr  # the debug log of requests


def test_wait_timeout_exits_1_and_says_the_operation_goes_on(emulator: Emulator) -> None:
    emulator.provision_duration = 30.0
    done = run(emulator, *_db_create("slow", "--wait", "--timeout", "0.5"))
    assert done.returncode == 1, done.stderr
    assert "server-side" in done.stderr and done.stdout == ""


# ---------------------------------------------------------------------------- the rest


def test_python_m_infomaniak_is_the_same_command(emulator: Emulator) -> None:
    script = run(emulator, "-o", "json", "cloud", "kubernetes", "versions")
    module = run(emulator, "-o", "json", "cloud", "kubernetes", "versions", module=True)
    assert script.returncode == module.returncode == 0
    assert script.stdout == module.stdout and json.loads(script.stdout)
    version = run(None, "--version")
    assert version.returncode == 0 and version.stdout.startswith("infomaniak ")


def test_emulator_command_serves_until_ctrl_c() -> None:
    process = subprocess.Popen(
        [SCRIPT, "emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().strip() for _ in range(2)]
        settings = dict(line.removeprefix("export ").split("=", 1) for line in lines)
        listed = run(None, "-o", "json", "tasks", "list", env=_env(**settings))
        assert listed.returncode == 0 and json.loads(listed.stdout) == []
        process.send_signal(signal.SIGINT)
        assert process.wait(20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    helped = run(None, "emulator", "--help")
    assert helped.returncode == 0 and "--port" in helped.stdout


def test_shell_completion(emulator: Emulator) -> None:
    for shell in ("bash", "zsh", "fish"):
        source = run(None, env=_env(_INFOMANIAK_COMPLETE=f"{shell}_source"))
        assert source.returncode == 0 and "_INFOMANIAK_COMPLETE" in source.stdout
    completed = run(
        None,
        env=_env(
            _INFOMANIAK_COMPLETE="bash_complete", COMP_WORDS="infomaniak cloud kub", COMP_CWORD="2"
        ),
    )
    assert completed.returncode == 0
    assert "plain,kubernetes" in completed.stdout.splitlines()


def test_start_up_imports_only_what_is_needed(emulator: Emulator) -> None:
    probe = (
        "import sys\n"
        "from infomaniak.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "heavy = ('aiohttp', 'rich', 'yaml', 'infomaniak._async', "
        "'infomaniak._sync.resources.kubernetes', 'infomaniak._sync.resources.database')\n"
        "print(sorted({m.split('.')[0] if not m.startswith('infomaniak') else m "
        "for m in sys.modules if m.startswith(heavy)}), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    for args in (
        ["--help"],
        ["--base-url", emulator.url, "--token", emulator.token, "-o", "json", "cloud", "list",
         "--account-id", "42"],
    ):  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, env=_env()
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr.strip().splitlines()[-1] == "[]"


# ---------------------------------------------------------------------------- docs/cli.md

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def _session(text: str) -> list[tuple[str, list[str]]]:
    """The ``$ command`` lines of the console blocks, each with the lines shown after it."""
    steps: list[tuple[str, list[str]]] = []
    inside = False
    lines = iter(text.splitlines())
    for line in lines:
        if line.strip() == "```console":
            inside = True
        elif line.strip() == "```":
            inside = False
        elif inside and line.startswith("$ "):
            command = line[2:]
            while command.endswith("\\"):
                command = command[:-1] + next(lines).strip()
            steps.append((command, []))
        elif inside and steps:
            steps[-1][1].append(line)
    return steps


def _shown_matches(shown: list[str], actual: list[str]) -> bool:
    if not any(line.strip() == "..." for line in shown):
        return shown == actual
    wanted = iter(actual)
    return all(any(line == got for got in wanted) for line in shown if line.strip() != "...")


def test_docs_cli_session_runs_as_shown(emulator: Emulator, tmp_path: Path) -> None:
    steps = [
        (command, shown)
        for command, shown in _session(DOC.read_text())
        # The fixture plays the emulator and its settings.
        if not command.startswith(("infomaniak emulator", "export INFOMANIAK_"))
    ]
    assert len(steps) >= 15
    script = ["exec 2>&1"]
    for index, (command, _) in enumerate(steps):
        script += [command, f'__rc=$?; echo "@@step {index} $__rc"; (exit $__rc)']
    env = _env(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        INFOMANIAK_BASE_URL=emulator.url,
        INFOMANIAK_API_TOKEN=emulator.token,
    )
    done = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    outputs: list[tuple[list[str], int]] = []
    current: list[str] = []
    for line in done.stdout.splitlines():
        if line.startswith("@@step "):
            outputs.append((current, int(line.split()[2])))
            current = []
        else:
            current.append(line.rstrip())
    assert len(outputs) == len(steps), done.stdout
    for (command, shown), (actual, status) in zip(steps, outputs, strict=True):
        failing = any(line.startswith("infomaniak: error:") for line in shown)
        assert status == (1 if failing else 0), (command, actual)
        assert _shown_matches(shown, actual), (command, shown, actual)
    assert stat.S_IMODE((tmp_path / "kubeconfig.yaml").stat().st_mode) == 0o600
    assert (tmp_path / "db-password").read_text()
