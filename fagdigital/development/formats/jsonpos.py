"""JSON with the line and column of every value, so a catalogue file's problems say where they are.

Python's json module gives positions only for syntax errors. This parser reads the same grammar (RFC
8259; strings are decoded by the json module's own scanner) and records, for each value, the JSON path
(`$.activities[2].title.da`) → (line, column) of its first character. Duplicate keys are refused (the
json module would silently keep the last one, so a file could say two things).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from json import decoder
from typing import Any

from django.utils.translation import gettext as _

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS = {"true": True, "false": False, "null": None}
MAX_DEPTH = 20


class JsonPositionError(ValueError):
    """The text is not valid JSON: what is wrong, and where (1-based line and column)."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Parsed:
    value: Any
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: str) -> tuple[int, int]:
        """The position of the value at `path`, or of its nearest enclosing value that has one."""
        while path:
            if path in self.positions:
                return self.positions[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self.positions.get("$", (1, 1))


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.positions: dict[str, tuple[int, int]] = {}
        # Offsets where lines start, for turning an offset into a line and column.
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def location(self, offset: int) -> tuple[int, int]:
        low, high = 0, len(self.line_starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.line_starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low + 1, offset - self.line_starts[low] + 1

    def fail(self, message: str, offset: int) -> JsonPositionError:
        line, column = self.location(offset)
        return JsonPositionError(message, line, column)

    def skip(self, offset: int) -> int:
        match = _WHITESPACE.match(self.text, offset)
        return match.end() if match else offset

    def value(self, offset: int, path: str, depth: int) -> tuple[Any, int]:
        offset = self.skip(offset)
        if depth > MAX_DEPTH:
            raise self.fail(_("for mange niveauer inden i hinanden"), offset)
        if offset >= len(self.text):
            raise self.fail(_("filen slutter midt i et objekt eller en liste"), offset)
        self.positions[path] = self.location(offset)
        char = self.text[offset]
        if char == "{":
            return self.object(offset + 1, path, depth)
        if char == "[":
            return self.array(offset + 1, path, depth)
        if char == '"':
            return self.string(offset)
        for literal, meaning in _LITERALS.items():
            if self.text.startswith(literal, offset):
                return meaning, offset + len(literal)
        match = _NUMBER.match(self.text, offset)
        if match and match.end() > offset:
            number = match.group(0)
            if match.group(1) or match.group(2):
                return float(number), match.end()
            return int(number), match.end()
        raise self.fail(
            _(
                "uventet tegn; en værdi skal være tekst i anførselstegn, et tal, true, false, null, "
                "et objekt eller en liste"
            ),
            offset,
        )

    def string(self, offset: int) -> tuple[str, int]:
        try:
            text, end = decoder.scanstring(self.text, offset + 1, True)  # type: ignore[attr-defined]
        except ValueError as error:
            position = getattr(error, "pos", offset)
            raise self.fail(
                _(
                    "ugyldig tekst i anførselstegn (et ugyldigt tegn, en forkert \\-kode eller et "
                    "manglende slut-anførselstegn)"
                ),
                position,
            ) from error
        return text, end

    def object(self, offset: int, path: str, depth: int) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        offset = self.skip(offset)
        if self.text.startswith("}", offset):
            return result, offset + 1
        while True:
            offset = self.skip(offset)
            if not self.text.startswith('"', offset):
                raise self.fail(_("forventede et feltnavn i dobbelte anførselstegn"), offset)
            key_offset = offset
            key, offset = self.string(offset)
            if key in result:
                raise self.fail(_("feltet »%(key)s« står to gange i samme objekt") % {"key": key}, key_offset)
            offset = self.skip(offset)
            if not self.text.startswith(":", offset):
                raise self.fail(_("forventede »:« efter feltnavnet"), offset)
            result[key], offset = self.value(offset + 1, f"{path}.{key}", depth + 1)
            offset = self.skip(offset)
            if self.text.startswith(",", offset):
                offset += 1
                continue
            if self.text.startswith("}", offset):
                return result, offset + 1
            raise self.fail(_("forventede »,« eller »}«"), offset)

    def array(self, offset: int, path: str, depth: int) -> tuple[list[Any], int]:
        result: list[Any] = []
        offset = self.skip(offset)
        if self.text.startswith("]", offset):
            return result, offset + 1
        while True:
            item, offset = self.value(offset, f"{path}[{len(result)}]", depth + 1)
            result.append(item)
            offset = self.skip(offset)
            if self.text.startswith(",", offset):
                offset += 1
                continue
            if self.text.startswith("]", offset):
                return result, offset + 1
            raise self.fail(_("forventede »,« eller »]«"), offset)


def parse(text: str) -> Parsed:
    """Parse JSON text; raises JsonPositionError with the line and column of the first problem."""
    parser = _Parser(text)
    value, offset = parser.value(0, "$", 0)
    offset = parser.skip(offset)
    if offset != len(text):
        raise parser.fail(_("der står mere efter dokumentets slutning"), offset)
    return Parsed(value=value, positions=parser.positions)
