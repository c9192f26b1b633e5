"""Every Python example of the documentation runs, against the emulator.

Each ```py / ```python block of ``docs/**/*.md`` and ``README.md`` is a test
of its own: it runs as it is written (sync blocks directly, async blocks
through their own ``asyncio.run``), in a fresh namespace, with
``INFOMANIAK_API_TOKEN`` and ``INFOMANIAK_BASE_URL`` pointing at a fresh
emulator, so each example can be copied alone. A block that is only an
illustration (it needs a real account, say) is preceded by
``<!-- illustration: why -->``; it is the exception, and it is counted.

Also checked: every public method of every resource appears on a page, and
every field of every model is listed on a page.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import logging
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import attrs
import pytest

import infomaniak.models.cloud as cloud_models
from infomaniak import AsyncClient, Client
from infomaniak.testing import Emulator

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]

# A fence opening a Python block, possibly indented (inside a tab or a list).
_OPEN = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>py|python)\s*$")
_ANY_PY_FENCE = re.compile(r"^[ \t]*```(?:py|python)\b")
_ILLUSTRATION = re.compile(r"^\s*<!--\s*illustration:\s*\S.*-->\s*$")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # 1-based line of the opening fence
    code: str
    illustration: bool

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def extract(path: Path) -> list[Block]:
    """The Python blocks of a Markdown file, dedented, with their marker."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        match = _OPEN.match(lines[index])
        if match is None:
            index += 1
            continue
        indent = match["indent"]
        close = re.compile(rf"^{re.escape(indent)}```\s*$")
        body: list[str] = []
        end = index + 1
        while end < len(lines) and not close.match(lines[end]):
            body.append(lines[end])
            end += 1
        if end == len(lines):
            raise AssertionError(f"{path}:{index + 1}: unclosed code block")
        previous = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        blocks.append(
            Block(
                path=path,
                line=index + 1,
                code=textwrap.dedent("\n".join(body)) + "\n",
                illustration=bool(_ILLUSTRATION.match(previous)),
            )
        )
        index = end + 1
    return blocks


BLOCKS = [block for path in SOURCES for block in extract(path)]
EXECUTED = [block for block in BLOCKS if not block.illustration]


@pytest.fixture
def fast_waits() -> Iterator[None]:
    """Examples call ``wait()`` with the clients' defaults (first poll after
    1 s); the emulator finishes in milliseconds, so poll every 10 ms here."""
    saved = {cls: dict(cls.__init__.__kwdefaults__) for cls in (Client, AsyncClient)}
    for cls in saved:
        cls.__init__.__kwdefaults__.update(poll_interval=0.01, poll_interval_max=0.05)
    try:
        yield
    finally:
        for cls, defaults in saved.items():
            cls.__init__.__kwdefaults__.clear()
            cls.__init__.__kwdefaults__.update(defaults)


@pytest.fixture
def logging_restored() -> Iterator[None]:
    """Examples may configure logging; later tests must not inherit it."""
    loggers = [logging.getLogger(), logging.getLogger("infomaniak")]
    saved = [(logger, logger.level, list(logger.handlers)) for logger in loggers]
    try:
        yield
    finally:
        for logger, level, handlers in saved:
            logger.setLevel(level)
            logger.handlers[:] = handlers


@pytest.mark.parametrize("block", EXECUTED, ids=[block.id for block in EXECUTED])
def test_example_runs(
    block: Block,
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    fast_waits: None,
    logging_restored: None,
) -> None:
    monkeypatch.setenv("INFOMANIAK_API_TOKEN", emulator.token)
    monkeypatch.setenv("INFOMANIAK_BASE_URL", emulator.url)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    code = compile(block.code, block.id, "exec")
    with contextlib.redirect_stdout(io.StringIO()):
        exec(code, namespace)
    # The example talked to the emulator (not to the real API, not to nothing),
    # unless it runs an emulator of its own.
    assert emulator.requests or "Emulator(" in block.code, f"{block.id} sent no request"


def test_every_block_is_collected() -> None:
    """The extractor misses no fence, and illustrations stay the exception."""
    fences = sum(
        1
        for path in SOURCES
        for line in path.read_text(encoding="utf-8").splitlines()
        if _ANY_PY_FENCE.match(line)
    )
    assert len(BLOCKS) == fences, "a ```py fence the extractor did not read"
    illustrations = [block.id for block in BLOCKS if block.illustration]
    assert len(illustrations) <= len(BLOCKS) // 10, f"too many illustrations: {illustrations}"
    assert len(EXECUTED) >= 60, f"only {len(EXECUTED)} examples run"


# Pages whose examples other work streams are rewriting at the time of writing
# (the README's emulator section too); on the site they wrap
# (docs/stylesheets/extra.css) until shortened.
_LONG_LINES_PENDING = {"docs/emulator.md", "docs/concepts/long-operations.md", "README.md"}
MAX_EXAMPLE_LINE = 88


def test_example_lines_fit_the_page() -> None:
    """No example scrolls sideways: every line of every block fits in 88 characters."""
    long = [
        f"{block.id}: {len(line)} characters: {line.strip()[:40]}..."
        for block in BLOCKS
        if str(block.path.relative_to(ROOT)) not in _LONG_LINES_PENDING
        for line in block.code.splitlines()
        if len(line) > MAX_EXAMPLE_LINE
    ]
    assert not long, "\n".join(long)


# ------------------------------------------------------------------ coverage of the pages


def _resources(root: object, prefix: str) -> Iterator[tuple[str, object]]:
    yield prefix, root
    for name, value in vars(root).items():
        if not name.startswith("_") and type(value).__name__.endswith("Resource"):
            yield from _resources(value, f"{prefix}.{name}")


def _public_methods(resource: object) -> list[str]:
    return [
        name
        for name, member in inspect.getmembers(type(resource), inspect.isfunction)
        if not name.startswith("_")
    ]


def _pages_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in SOURCES)


def test_every_public_method_has_an_example() -> None:
    client = Client("token", base_url="http://127.0.0.1:9")
    text = _pages_text()
    missing = [
        f"{prefix}.{method}"
        for attribute in ("cloud", "tasks")
        for prefix, resource in _resources(getattr(client, attribute), f"client.{attribute}")
        for method in _public_methods(resource)
        if f"{prefix}.{method}(" not in text
    ]
    client.close()
    assert missing == [], f"methods no page calls: {missing}"


def _model_sections() -> dict[str, str]:
    """Each ``#### `Model` `` section of the pages, up to the next heading."""
    sections: dict[str, str] = {}
    for path in (ROOT / "docs").rglob("*.md"):
        for match in re.finditer(
            r"^#{2,5} `(\w+)`\s*$(.*?)(?=^#|\Z)",
            path.read_text(encoding="utf-8"),
            flags=re.MULTILINE | re.DOTALL,
        ):
            sections.setdefault(match[1], match[2])
    return sections


def test_every_model_field_is_described() -> None:
    sections = _model_sections()
    problems: list[str] = []
    for name in cloud_models.__all__:
        model = getattr(cloud_models, name)
        if not attrs.has(model):
            continue
        section = sections.get(name)
        if section is None:
            problems.append(f"{name}: no '### `{name}`' section on any page")
            continue
        problems += [
            f"{name}.{field.name}"
            for field in attrs.fields(model)
            if f"| `{field.name}` |" not in section
        ]
    assert problems == [], f"undocumented models or fields: {problems}"


def test_every_public_method_docstring_is_google_style() -> None:
    """Args (every parameter), Returns and Raises on each public resource method."""
    client = Client("token", base_url="http://127.0.0.1:9")
    problems: list[str] = []
    for attribute in ("cloud", "tasks"):
        for prefix, resource in _resources(getattr(client, attribute), f"client.{attribute}"):
            for name in _public_methods(resource):
                method = getattr(type(resource), name)
                doc = inspect.getdoc(method) or ""
                params = [p for p in inspect.signature(method).parameters if p != "self"]
                for section in ("Returns:", "Raises:") + (("Args:",) if params else ()):
                    if section not in doc:
                        problems.append(f"{prefix}.{name}: no {section}")
                problems += [
                    f"{prefix}.{name}: {param} not in Args"
                    for param in params
                    if not re.search(rf"^\s+{param}:", doc, flags=re.MULTILINE)
                ]
    client.close()
    assert problems == [], problems
