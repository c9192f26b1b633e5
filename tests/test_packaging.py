"""The wheel a user installs: its name, version, licence, links and classifiers.

A wheel is built from this checkout (``pip wheel --no-deps``) and its
``METADATA`` read as an installer would.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest

import infomaniak

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTION = "infomaniak-cloud"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (found,) = out.glob("*.whl")
    return found


@pytest.fixture(scope="module")
def metadata(wheel: Path) -> Message:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return Parser().parsestr(archive.read(name).decode())


def test_the_wheel_is_named_for_the_free_distribution_name(wheel: Path, metadata: Message) -> None:
    assert metadata["Name"] == DISTRIBUTION
    assert metadata["Version"] == infomaniak.__version__
    assert wheel.name.startswith(f"infomaniak_cloud-{infomaniak.__version__}-")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    # The import name stays `infomaniak`, typed.
    assert "infomaniak/__init__.py" in names
    assert "infomaniak/py.typed" in names


def test_the_wheel_carries_a_licence(wheel: Path, metadata: Message) -> None:
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    with zipfile.ZipFile(wheel) as archive:
        (licence,) = [n for n in archive.namelist() if n.endswith("licenses/LICENSE")]
        assert archive.read(licence).decode().startswith("MIT License")


def test_the_wheel_has_project_urls_and_classifiers(metadata: Message) -> None:
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL") or [])
    assert urls and all(u.startswith("https://") for u in urls.values())
    classifiers = metadata.get_all("Classifier") or []
    for expected in (
        "Typing :: Typed",
        "Framework :: AsyncIO",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3 :: Only",
    ):
        assert expected in classifiers
    assert metadata["Requires-Python"] == ">=3.11"


def test_the_changelog_names_the_current_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(infomaniak.__version__)}\b", changelog, re.M)


def test_install_lines_use_the_distribution_name() -> None:
    """`pip install infomaniak` would install someone else's tool."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    wrong = re.compile(r"pip install (?:-\S+ )*['\"]?infomaniak(?![-\w])")
    named = [p.name for p in pages if f"pip install {DISTRIBUTION}" in p.read_text("utf-8")]
    assert "README.md" in named and "getting-started.md" in named
    for page in pages:
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            assert not wrong.search(line), f"{page.relative_to(ROOT)}:{number}: {line}"
