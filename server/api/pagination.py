"""Pages of the list endpoints: `?offset=&limit=` (at most MAX_PAGE_SIZE) in a stable order; when there is
more, a `Link: <…>; rel="next"` header (RFC 8288) names the next page. The body stays a plain list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Query, Request, Response

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
MAX_OFFSET = 10**9

T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    offset: int
    limit: int

    @property
    def probe(self) -> int:
        """How many to read: one more than the page, to learn whether a next page exists."""
        return self.limit + 1


def page_query(
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many entries to skip.")] = 0,
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Entries per page, at most {MAX_PAGE_SIZE}.")
    ] = DEFAULT_PAGE_SIZE,
) -> Page:
    return Page(offset, limit)


PageDep = Annotated[Page, Depends(page_query)]


def paged(read: Sequence[T], page: Page, request: Request, response: Response) -> list[T]:
    """The page out of `read` (up to `page.probe` entries from `page.offset`), with the Link header set
    when there is a next one."""
    if len(read) > page.limit:
        following = request.url.include_query_params(offset=page.offset + page.limit, limit=page.limit)
        response.headers["Link"] = f'<{following}>; rel="next"'
    return list(read[: page.limit])


def window(items: Sequence[T], page: Page) -> Sequence[T]:
    """What `paged` needs out of a list held whole in memory."""
    return items[page.offset : page.offset + page.probe]
