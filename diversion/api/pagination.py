"""Cursor pagination for notices: the cursor is the last notice id the client has seen.

Ids only grow, so a client that keeps the last `next_cursor` sees every notice once, in order,
however many arrive between its requests.
"""

from __future__ import annotations

from typing import Any

import django_filters
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from diversion.api.selectors import MAX_ID
from diversion.api.strict import (
    QuerySerializer,
    StrictBooleanFilter,
    StrictChoiceFilter,
    query_integer,
)
from diversion.engagement.models import NoticeKind, PoliceNotice


class CursorQuerySerializer(QuerySerializer):
    after = query_integer(
        name="after",
        low=0,
        high=MAX_ID,
        meaning="the last notice id you have seen (next_cursor), or 0 to start",
        default=0,
        help_text="The last notice id you have seen (next_cursor); 0 for the first request",
    )
    limit = query_integer(
        name="limit",
        low=1,
        high=200,
        meaning="how many notices to return",
        default=100,
        help_text="At most 200",
    )


class NoticeCursorPagination(BasePagination):
    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        query = CursorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        after, limit = query.validated_data["after"], query.validated_data["limit"]
        rows = list(queryset.filter(pk__gt=after).order_by("pk")[: limit + 1])
        self.has_more = len(rows) > limit
        rows = rows[:limit]
        self.next_cursor = rows[-1].pk if rows else after
        self.request = request
        return rows

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {"results": data, "next_cursor": self.next_cursor, "has_more": self.has_more}
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results", "next_cursor", "has_more"],
            "properties": {
                "results": schema,
                "next_cursor": {"type": "integer", "minimum": 0},
                "has_more": {"type": "boolean"},
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "after",
                "in": "query",
                "required": False,
                "description": CursorQuerySerializer().fields["after"].help_text,
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID, "default": 0},
            },
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": "How many notices to return, at most 200",
                "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 100},
            },
        ]


class NoticeFilter(django_filters.FilterSet):
    kind = StrictChoiceFilter(choices=NoticeKind.choices, parameter="kind")
    acknowledged = StrictBooleanFilter(
        parameter="acknowledged",
        field_name="acknowledged_at",
        lookup_expr="isnull",
        exclude=True,
        label="true: only notices you acknowledged; false: only those you have not",
    )

    class Meta:
        model = PoliceNotice
        fields = ["kind", "acknowledged"]
