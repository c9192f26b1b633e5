"""Query parameters shared by every list endpoint (filters, sorting, relations)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ._converter import json_name
from ._validate import check_choice, check_order_for, check_str, check_str_list

Order = Literal["asc", "desc"]


def list_params(
    *,
    search: str | None = None,
    filters: Mapping[str, Any] | None = None,
    order_by: str | Sequence[str] | None = None,
    order: Order | None = None,
    order_for: Mapping[str, Order] | None = None,
    with_: str | Sequence[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Validated query parameters: ``filter[...]`` (deepObject), ``order_by``
    (comma list), ``order``, ``order_for[...]`` (deepObject) and ``with``."""
    filter_values: dict[str, Any] = {}
    if search is not None:
        filter_values["search"] = check_str("search", search)
    if filters:
        filter_values.update({k: v for k, v in filters.items() if v is not None})
    params: dict[str, Any] = dict(extra)
    if filter_values:
        params["filter"] = filter_values
    if order_by is not None:
        params["order_by"] = check_str_list("order_by", order_by)
    if order is not None:
        params["order"] = check_choice("order", order, ("asc", "desc"))
    if order_for is not None:
        params["order_for"] = check_order_for(order_for)
    if with_ is not None:
        params["with"] = check_str_list("with_", with_)
    return params


def _count(value: Any) -> int | None:
    """A count of the pagination keys: a JSON integer >= 0 (not a bool), else None."""
    return value if value.__class__ is int and value >= 0 else None


def page_counts(
    envelope: Mapping[str, Any], *, page: int, per_page: int, found: int, later: bool
) -> tuple[int, int, int, int] | str:
    """``(page, pages, items, per_page)`` of a list answer, or what is wrong with them.

    The API adds ``page``, ``pages``, ``total`` and ``items_per_page`` when a
    page is asked for; a first page without them is the whole list. A page
    reached by walking (``later``) must carry an integer ``pages`` and
    ``total``; if it is empty, they must say the list now ends before it (it
    shrank while walked): an empty page that says more follow would end the
    walk with items missing.
    """
    number = envelope.get("page")
    pages = envelope.get("pages")
    total = envelope.get("total")
    size = envelope.get("items_per_page")
    for key, value in (("page", number), ("pages", pages), ("total", total)):
        if value is not None and _count(value) is None:
            return f"page {page} of the list: {key} is not a count ({json_name(value)})"
    if size is not None and (_count(size) is None or size == 0):
        return f"page {page} of the list: items_per_page is not a count ({json_name(size)})"
    if later:
        if pages is None or total is None:
            missing = "pages" if pages is None else "total"
            return (
                f"page {page} of the list carries no {missing}: the walk cannot tell where it ends"
            )
        if number is not None and number != page:
            return f"asked for page {page} of the list, the answer says page {number}"
        if found == 0 and (pages >= page or total > (page - 1) * (size or per_page)):
            return (
                f"page {page} of the list is empty but says the list has {pages} pages "
                f"({total} items): items would be missing"
            )
    return (
        number or page,
        pages if pages is not None else page,
        total if total is not None else found,
        size or per_page,
    )
