"""Project-specific import-linter contracts (run by `lint-imports`, part of `./dev test`).

`PrivacyOwnsThreshold`: the anonymity threshold has one owner. No module outside the allowed ones may
name the settings or the organisation field that k is made of; everyone else asks
`fagdigital.privacy.rules` (docs/decisions/0010-publication-blocks.md).
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from importlinter import Contract, ContractCheck, fields, output


class PrivacyOwnsThreshold(Contract):
    names = fields.ListField(subfield=fields.StringField())
    allowed = fields.ListField(subfield=fields.StringField())

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        del graph, verbose
        names = {str(name) for name in self.names}  # type: ignore[attr-defined]
        allowed = [str(prefix) for prefix in self.allowed]  # type: ignore[attr-defined]
        root = Path(__file__).resolve().parent.parent
        found: list[str] = []
        for path in sorted((root / "fagdigital").rglob("*.py")):
            module = ".".join(path.relative_to(root).with_suffix("").parts)
            if any(module == prefix or module.startswith(prefix + ".") for prefix in allowed):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
                if name in names:
                    found.append(f"{module}:{getattr(node, 'lineno', 0)} uses {name}")
        return ContractCheck(kept=not found, metadata={"found": found})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata["found"]:
            output.print_error(line)
