"""Small, total conversions of the values in a Moodle file: they never raise, however the value looks."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _


def load_json(text: str) -> tuple[Any, str]:
    """(value, "") or (None, what is wrong) — never an exception, however the text is broken."""
    try:
        return json.loads(text), ""
    except json.JSONDecodeError as error:
        return None, _("%(error)s (tegn %(column)s)") % {"error": error.msg, "column": error.pos + 1}
    except (ValueError, RecursionError):  # a number with thousands of digits, or thousands of nested lists
        return None, _("for dybt indlejret eller med et tal med for mange cifre")


def has_bad_characters(value: Any) -> bool:
    """NUL or lone surrogates anywhere in parsed JSON (PostgreSQL refuses them)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item or any("\ud800" <= char <= "\udfff" for char in item):
                return True
        elif isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            pending += item
    return False


def integer(value: Any) -> int | None:
    """An integer from JSON or CSV text (PHP writes ids and flags as numbers or as strings)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
