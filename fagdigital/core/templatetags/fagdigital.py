from __future__ import annotations

import datetime as dt

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_INPUT_CLASS = {
    "select": "form-select",
    "textarea": "form-input",
    "checkbox": "form-checkbox",
    "radio": "form-radio",
}


@register.simple_tag
def form_widget(field: BoundField) -> SafeString:
    """Render a form field's widget with DKFDS classes and the ARIA links to its hint and errors."""
    widget_type = field.widget_type
    attrs: dict[str, str | bool] = {}
    if widget_type not in {"checkbox", "radioselect", "checkboxselectmultiple", "hidden"}:
        attrs["class"] = _INPUT_CLASS.get(widget_type, "form-input")
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    described += [f"{field.auto_id}-error-{i}" for i in range(1, len(field.errors) + 1)]
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def minutes(value: dt.timedelta | None) -> int:
    """Whole minutes of a duration, rounded up (for "try again in N minutes")."""
    if value is None:
        return 0
    return max(1, -(-int(value.total_seconds()) // 60))


@register.filter
def field_anchor(field: BoundField) -> str:
    """The id an error summary links to: the field's input, or the first option of a radio or checkbox
    group (Django gives those no id of their own)."""
    anchor = field.id_for_label
    if not anchor and field.subwidgets:
        anchor = field.subwidgets[0].id_for_label
    return anchor or field.auto_id or ""
