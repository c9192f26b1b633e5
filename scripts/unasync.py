#!/usr/bin/env python3
"""Generate the blocking code from the async source.

    python scripts/unasync.py          # regenerate infomaniak/_sync and tests/_sync
    python scripts/unasync.py --check  # fail (exit 1) if they differ from what it would write

``async``/``await`` are dropped and names are renamed with the explicit
table below (unasync's default would turn ``AsyncClient`` into ``SyncClient``
and the ``AsyncTask`` model into ``SyncTask``). Comments and docstrings get
the same renames. A generated name that still starts with ``Async`` or
``Sync`` and is not in the table fails the run, so a new class cannot slip
through with a wrong name.
"""

from __future__ import annotations

import argparse
import difflib
import re
import shutil
import sys
import tempfile
from pathlib import Path

# This file is named like the library it uses: import the library, not itself.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
import unasync  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# (async source dir, generated dir), relative to the repository root.
TREES = [
    ("infomaniak/_async", "infomaniak/_sync"),
    ("tests/_async", "tests/_sync"),
]

RENAMES = {
    # clients, pipeline, pagination, waiting
    "AsyncClient": "Client",
    "AsyncPipeline": "Pipeline",
    "AsyncRateLimiter": "RateLimiter",
    "AsyncPList": "plist",
    "AsyncOperation": "Operation",
    # resources
    "AsyncResource": "Resource",
    "AsyncCloudResource": "CloudResource",
    "AsyncCloudConfigResource": "CloudConfigResource",
    "AsyncCloudAccessesResource": "CloudAccessesResource",
    "AsyncProjectResource": "ProjectResource",
    "AsyncProjectUserResource": "ProjectUserResource",
    "AsyncTaskResource": "TaskResource",
    # KaaS (client.cloud.kubernetes)
    "AsyncKubernetesResource": "KubernetesResource",
    "AsyncKubernetesPoolResource": "KubernetesPoolResource",
    "AsyncKubernetesApiserverResource": "KubernetesApiserverResource",
    "AsyncKubernetesIpFilterResource": "KubernetesIpFilterResource",
    # resources: managed databases (DBaaS)
    "AsyncDatabaseResource": "DatabaseResource",
    "AsyncDatabaseBackupResource": "DatabaseBackupResource",
    "AsyncDatabaseBackupScheduleResource": "DatabaseBackupScheduleResource",
    "AsyncDatabaseRestoreResource": "DatabaseRestoreResource",
    "AsyncDatabaseConfigurationResource": "DatabaseConfigurationResource",
    "AsyncDatabaseIpFilterResource": "DatabaseIpFilterResource",
    "AsyncDatabaseOperation": "DatabaseOperation",
    "AsyncDatabaseRestoreOperation": "DatabaseRestoreOperation",
    # the transport pair (infomaniak/_transport/_async.py <-> _sync.py)
    "AsyncTransport": "SyncTransport",
    "AsyncLock": "SyncLock",
    "AsyncLookahead": "SyncLookahead",
    "async_sleep": "sync_sleep",
    "async_kubernetes_api_client": "sync_kubernetes_api_client",
    "AsyncSignal": "SyncSignal",
    "async_callback": "sync_callback",
    "_async": "_sync",
    # names that only look async: keep them
    "AsyncTask": "AsyncTask",
    # tests
    "async_client": "client",
    "async_emulator_client": "emulator_client",
    "async_background_work": "sync_background_work",
    "async_together": "sync_together",
}

# Generated names allowed to start with Async/Sync (besides the table's values).
_ALLOWED_PREFIXED = {value for value in RENAMES.values()} | {"AsyncTask", "AsyncTaskResource"}
_PREFIXED_NAME = re.compile(r"\b(?:Async|Sync)[A-Z]\w*")

HEADER = (
    "# Generated from {source} by scripts/unasync.py.\n"
    "# Do not edit: change the async source and run `python scripts/unasync.py`.\n"
)

_TEXT_RENAMES = [(re.compile(rf"\b{re.escape(old)}\b"), new) for old, new in RENAMES.items()]
_TEXT_RENAMES += [
    (re.compile(r"\bawait "), ""),
    (re.compile(r"\basync (with|for|def)\b"), r"\1"),
    (re.compile(r"``async for``"), "``for``"),
]


class _Rule(unasync.Rule):  # type: ignore[misc]
    def _unasync_name(self, name: str) -> str:
        # Only the explicit table: no implicit Async* -> Sync* guessing.
        return str(self.token_replacements.get(name, name))


def _post_process(text: str, source: str) -> str:
    for pattern, replacement in _TEXT_RENAMES:
        text = pattern.sub(replacement, text)
    return HEADER.format(source=source) + text


def generate(into: Path) -> list[str]:
    """Write the generated trees under ``into``; return problems found."""
    problems: list[str] = []
    for source_dir, target_dir in TREES:
        source_root = ROOT / source_dir
        if not source_root.is_dir():
            continue
        staging = Path(tempfile.mkdtemp())
        try:
            staged_source = staging / "src" / "_async"
            shutil.copytree(
                source_root, staged_source, ignore=shutil.ignore_patterns("__pycache__")
            )
            rule = _Rule(
                fromdir=str(staged_source),
                todir=str(staging / "src" / "_sync"),
                additional_replacements=RENAMES,
            )
            files = sorted(str(p) for p in staged_source.rglob("*.py"))
            unasync.unasync_files(files, [rule])
            for generated in sorted((staging / "src" / "_sync").rglob("*.py")):
                relative = generated.relative_to(staging / "src" / "_sync")
                source = f"{source_dir}/{relative.as_posix()}"
                text = _post_process(generated.read_text(encoding="utf-8"), source)
                for name in sorted(set(_PREFIXED_NAME.findall(text)) - _ALLOWED_PREFIXED):
                    problems.append(
                        f"{target_dir}/{relative.as_posix()}: {name} has no rename in RENAMES"
                    )
                out = into / target_dir / relative
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(text, encoding="utf-8")
        finally:
            shutil.rmtree(staging)
    return problems


def _tree_files(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*.py"))
        if "__pycache__" not in p.parts
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the generated code drifted")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        problems = generate(fresh)
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        if problems:
            return 1
        drifted = False
        for _, target_dir in TREES:
            expected = _tree_files(fresh / target_dir)
            actual = _tree_files(ROOT / target_dir)
            for name in sorted(expected.keys() | actual.keys()):
                if expected.get(name) == actual.get(name):
                    continue
                drifted = True
                if args.check:
                    diff = difflib.unified_diff(
                        (actual.get(name) or "").splitlines(keepends=True),
                        (expected.get(name) or "").splitlines(keepends=True),
                        f"{target_dir}/{name} (committed)",
                        f"{target_dir}/{name} (generated)",
                    )
                    sys.stderr.writelines(list(diff)[:40])
                    print(f"drift: {target_dir}/{name}", file=sys.stderr)
            if not args.check:
                target = ROOT / target_dir
                if target.exists():
                    shutil.rmtree(target)
                if expected:
                    shutil.copytree(fresh / target_dir, target)
        if args.check:
            if drifted:
                print("generated code drifted: run `python scripts/unasync.py`", file=sys.stderr)
                return 1
            print("generated code is up to date")
        else:
            print("regenerated " + ", ".join(t for _, t in TREES if (ROOT / t).exists()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
