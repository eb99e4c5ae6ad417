"""`{% url_for_actor "app:name" as url %}`: a link only where the reader's roles admit them."""

from __future__ import annotations

from typing import Any

from django import template

from fagdigital.tenancy import access

register = template.Library()


@register.simple_tag(takes_context=True)
def url_for_actor(context: template.Context, url_name: str, *args: Any) -> str:
    return access.url_for_actor(context.get("actor"), url_name, *args)
