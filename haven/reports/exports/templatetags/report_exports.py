"""``{% export_url "csv" %}``: the export link of the report page being shown, with its own parameters."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.urls import reverse

from haven.reports.exports.params import PARAMETERS

register = template.Library()


@register.simple_tag(takes_context=True)
def export_url(context: dict[str, Any], file_format: str, report_code: str = "") -> str:
    request = context.get("request")
    query = QueryDict(mutable=True)
    if request is not None:
        for name in PARAMETERS:
            values = request.GET.getlist(name)
            if values:
                query.setlist(name, values)
    if report_code:
        query["report"] = report_code
    query["format"] = file_format
    return f"{reverse('report_exports:report')}?{query.urlencode()}"
