"""Replay a JSON file of xAPI statements through the statement intake, as a given key would send them.

    ./dev manage xapi_replay statements.json --key fd-0123456789abcdef

The file holds one statement, an array of statements, or a StatementResult ({"statements": [...]}, what
another LRS exports). Each statement is stored on its own, exactly as POST /xapi/statements would store
it: idempotent by statement id, so replaying a file again stores nothing twice; a statement that breaks
the specification or reuses an id for a different statement is reported and the others still go in.
Exits with an error when any statement was refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fagdigital.development.models import Statement, StatementCredential
from fagdigital.development.services import statements as services


class Command(BaseCommand):
    help = "Indlæs en JSON-fil med xAPI-udsagn, som en given nøgle ville sende dem (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--key", required=True, help="the key id (fd-…) the statements come from")

    def handle(self, *args: Any, **options: Any) -> None:
        credential = StatementCredential.objects.filter(
            key_id=options["key"], revoked_at__isnull=True
        ).first()
        if credential is None:
            raise CommandError(f"no active xAPI key {options['key']!r}")
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error}") from error
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{path} line {error.lineno} column {error.colno}: not valid JSON ({error.msg})"
            ) from error
        if isinstance(data, dict) and isinstance(data.get("statements"), list):
            statements = data["statements"]
        elif isinstance(data, list):
            statements = data
        else:
            statements = [data]
        counts = {"stored": 0, "already": 0, "refused": 0}
        for index, statement in enumerate(statements):
            label = statement.get("id", f"#{index + 1}") if isinstance(statement, dict) else f"#{index + 1}"
            try:
                result = services.statements_store(credential=credential, statements=[statement])
            except services.StatementRefusedError as refusal:
                counts["refused"] += 1
                self.stderr.write(
                    f"{label}: refused ({refusal.status}) {refusal.message.replace('$[0]', '$')}"
                )
                continue
            if result.stored:
                counts["stored"] += 1
                outcome = Statement.objects.get(statement_id=result.ids[0]).outcome
                self.stdout.write(f"{result.ids[0]}: stored ({outcome})")
            else:
                counts["already"] += 1
                self.stdout.write(f"{result.ids[0]}: already stored")
        summary = f"stored={counts['stored']} already={counts['already']} refused={counts['refused']}"
        if counts["refused"]:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
