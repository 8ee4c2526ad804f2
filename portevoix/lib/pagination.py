"""Pagination that stays fast deep into large lists."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet


class DeferredJoinPaginator(Paginator[Any]):
    """Finds a page's ids on the narrow, indexed table first, then loads those rows with their joins.

    With plain OFFSET, the database builds every joined row it skips: page 2,000 of 100,000
    people joined 100,000 departments and entities to keep 50 of them. Here only ids are skipped
    and the joins and prefetches run for one page.
    """

    object_list: QuerySet[Any]

    def page(self, number: int | str) -> Page[Any]:
        valid = self.validate_number(number)
        bottom = (valid - 1) * self.per_page
        top = bottom + self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows: dict[Any, Model] = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return Page([rows[pk] for pk in ids if pk in rows], valid, self)
