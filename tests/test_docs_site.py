"""The documentation site as a reader gets it: built with ``mkdocs build --strict``.

Needs the ``docs`` extra (MkDocs); CI installs it before the tests.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytest.importorskip("mkdocs", reason="the docs extra: pip install -e '.[docs]'")
pytest.importorskip("mkdocstrings")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


def page_text(site: Path, page: str) -> str:
    raw = (site / page / "index.html").read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


def test_search_finds_the_databases_guide_for_a_method_name(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    # What the search box does with the index: split on the configured separator.
    separator = re.compile(index["config"]["separator"])
    found = {
        doc["location"].split("#")[0]
        for doc in index["docs"]
        if "reset_password" in {t.lower() for t in separator.split(doc["text"])}
    }
    assert "cloud/databases/" in found, sorted(found)


def test_no_third_party_font_host(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page


def test_reference_shows_default_values(site: Path) -> None:
    text = page_text(site, "reference/clients")
    assert "timeout: float | None = 30.0" in text
    assert "rate_limit: int | RateLimit | None = 60" in text
    assert not re.search(r"= _?[A-Z][A-Z_]{3,}\b(?<!NOT_GIVEN)", text), re.findall(
        r"= _?[A-Z][A-Z_]{3,}", text
    )
    # The clients' entry points are documented attributes.
    assert "The Cloud section of the API" in text
    assert "The API's asynchronous tasks" in text


def test_reference_hides_internal_constructors(site: Path) -> None:
    for page in ("reference/cloud", "reference/lists-and-operations"):
        text = page_text(site, page)
        assert "pipeline" not in text.lower(), page
