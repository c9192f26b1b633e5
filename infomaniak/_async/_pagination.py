"""``AsyncPList``: one page of a list and its counts.

Iterating walks every item of this and all later pages, each fetched only when
needed (the async client fetches a few pages ahead while the caller works; the
blocking one does not).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any, Generic, Protocol, TypeVar, overload

from .._converter import _pause_gc as pause_gc
from .._converter import _resume_gc as resume_gc
from .._listing import page_counts
from .._request import decode_list
from .._transport._async import AsyncLookahead, AsyncTransport
from ..errors import ResponseDecodeError
from ._pipeline import AsyncPipeline

T = TypeVar("T")


class _PageFetch(Protocol):
    """Sends the request for page ``number``; returns what ``_PageFinish`` reads."""

    async def __call__(self, number: int, /) -> tuple[int, Callable[[], Any]]: ...


class _PageFinish(Protocol[T]):
    """Reads a fetched page (decoding it), in the caller's turn."""

    def __call__(self, fetched: tuple[int, Callable[[], Any]], /) -> AsyncPList[T]: ...


class AsyncPList(Generic[T]):
    """A page of ``T`` from a list endpoint.

    ``len()``, indexing and ``data`` are the items of this page; iterating
    walks every item from this page to the last, fetching each next page
    with the same filters when it is reached. A failing page raises:
    iteration never ends quietly on an error.

    Attributes:
        data: The items of this page.
        page: This page's number (from 1).
        pages: The number of pages.
        items: The number of items across all pages.
        per_page: Items per page.
    """

    __slots__ = (
        "_fetch",
        "_finish",
        "_owner",
        "_prefetch",
        "data",
        "items",
        "page",
        "pages",
        "per_page",
    )

    def __init__(
        self,
        data: list[T],
        *,
        page: int,
        pages: int,
        items: int,
        per_page: int,
        fetch: _PageFetch | None = None,
        finish: _PageFinish[T] | None = None,
        prefetch: int = 0,
        owner: AsyncTransport | None = None,
    ) -> None:
        self.data = data
        self.page = page
        self.pages = pages
        self.items = items
        self.per_page = per_page
        self._fetch = fetch
        self._finish = finish
        self._prefetch = prefetch
        self._owner = owner

    def __len__(self) -> int:
        return len(self.data)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        return self.data[index]

    def __bool__(self) -> bool:
        return bool(self.data)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(page={self.page}, pages={self.pages}, items={self.items}, "
            f"per_page={self.per_page}, on_this_page={len(self.data)})"
        )

    async def iter_pages(self) -> AsyncIterator[AsyncPList[T]]:
        """Yield this page, then each later page in order.

        The walk follows the latest page's ``pages``: a list that grows while
        it is walked is walked to its new end, one that shrinks ends early.

        Yields:
            Each page, fetched when reached. The async client fetches
            ahead: one page when the walk starts, then one more for each
            page taken, up to ``prefetch_pages`` (default 8): stopping
            after ``n`` pages leaves at most ``min(n, prefetch_pages)``
            pages fetched for nothing.

        Raises:
            infomaniak.errors.APIError: a later page answered an error.
            infomaniak.errors.ResponseDecodeError: a later page is empty but
                says more pages follow, or carries no counts: the walk cannot
                end quietly with items missing.
        """
        if self._fetch is None or self._finish is None or self.page >= self.pages:
            yield self
            return
        lookahead = AsyncLookahead(
            self._fetch,
            start=self.page + 1,
            stop=self.pages,
            depth=self._prefetch,
            owner=self._owner,
            finish=self._finish,
        )
        try:
            # The async client starts fetching the next pages while the
            # caller works on this one; the blocking client does nothing here.
            lookahead.prime()
            yield self
            while not lookahead.exhausted():
                page = await lookahead.next()
                yield page
                if not page.data:
                    # The list shrank while it was walked; nothing follows.
                    return
                if page.pages != lookahead.stop:
                    lookahead.extend(page.pages)
        finally:
            lookahead.cancel()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item

    async def to_list(self) -> list[T]:
        """Gather every item of this and all later pages.

        Returns:
            All the items, in order.

        Raises:
            infomaniak.errors.APIError: a later page answered an error.
            infomaniak.errors.ResponseDecodeError: a later page cannot be
                trusted to say where the list ends.
        """
        items: list[T] = []
        async for page in self.iter_pages():
            items.extend(page.data)
        return items


async def fetch_plist(
    pipeline: AsyncPipeline,
    path: str,
    model: type[T],
    *,
    params: Mapping[str, Any],
    page: int,
    per_page: int,
    later: bool = False,
) -> AsyncPList[T]:
    """GET one page of a list endpoint as an ``AsyncPList``.

    The page knows how to fetch the following pages with the same parameters.
    ``later`` marks a page reached by walking: it must carry its counts, and
    an empty one must agree that the list ends before it, or the walk would
    end quietly with items missing (``ResponseDecodeError`` instead).
    """

    # A fetch only sends the request and keeps the answer's bytes: the page
    # is decoded when the caller reaches it. Decoding in the tasks fetching
    # ahead delayed the next requests (pages that came together were decoded
    # one after another before the caller could ask for more), and the
    # decoded JSON of the pages waiting (~10x their bytes, thousands of
    # containers) lived long enough for the cyclic GC to scan it again and
    # again (a full collection of the heap every few walks).
    async def fetch(number: int) -> tuple[int, Callable[[], Any]]:
        read = await pipeline.request(
            "GET", path, params={**params, "page": number, "per_page": per_page}, decode=False
        )
        return number, read

    def finish(fetched: tuple[int, Callable[[], Any]]) -> AsyncPList[T]:
        number, read = fetched
        return _read_page(
            pipeline,
            path,
            model,
            read,
            page=number,
            per_page=per_page,
            later=True,
            fetch=fetch,
            finish=finish,
        )

    _, read = await fetch(page)
    return _read_page(
        pipeline,
        path,
        model,
        read,
        page=page,
        per_page=per_page,
        later=later,
        fetch=fetch,
        finish=finish,
    )


def _read_page(
    pipeline: AsyncPipeline,
    path: str,
    model: type[T],
    read: Callable[[], Any],
    *,
    page: int,
    per_page: int,
    later: bool,
    fetch: _PageFetch,
    finish: _PageFinish[T],
) -> AsyncPList[T]:
    """Decode a page's answer (``read()``: its envelope) into an ``AsyncPList``.

    The cyclic GC is paused from parsing the JSON to dropping it: the
    envelope's containers are freed before any collection could scan them,
    only the models built from them stay.
    """
    pause_gc()
    try:
        envelope = read()
        data = decode_list(envelope, model, method="GET", path=path)
        counts = page_counts(envelope, page=page, per_page=per_page, found=len(data), later=later)
        del envelope
    finally:
        resume_gc()
    if isinstance(counts, str):
        raise ResponseDecodeError(counts, method="GET", path=path)
    number, pages, items, size = counts
    return AsyncPList(
        data,
        page=number,
        pages=pages,
        items=items,
        per_page=size,
        fetch=fetch,
        finish=finish,
        prefetch=pipeline.prefetch_pages,
        owner=pipeline.transport,
    )
