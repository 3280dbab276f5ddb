"""How API lists are paged."""

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """DRF's page numbers; `next` and `previous` are always in the answer (null at the ends)."""

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["required"] = list(answer["properties"])
        return answer
