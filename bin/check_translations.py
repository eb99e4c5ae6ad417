"""Check the translation catalogues: complete, compiled, and in step with the source code.

- every entry of locale/*/LC_MESSAGES/django.po is translated and none is fuzzy;
- the committed .mo files hold exactly the .po files' translations (so `./dev demo` needs no gettext);
- when gettext is installed: `makemessages` finds no text that the catalogues lack.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"


def catalogue_problems(po_path: Path) -> list[str]:
    problems = []
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    if untranslated:
        problems.append(f"{po_path}: {len(untranslated)} untranslated, e.g. {untranslated[:3]}")
    if fuzzy:
        problems.append(f"{po_path}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:3]}")
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return [*problems, f"{mo_path} is missing: run ./dev messages"]
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(mo_path))
    }
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in po.translated_entries()
    }
    if compiled != source:
        problems.append(f"{mo_path} is out of date with its .po file: run ./dev messages")
    return problems


def missing_from_source() -> list[str]:
    """Run makemessages on a copy of the catalogues and report msgids the committed ones lack."""
    if shutil.which("xgettext") is None:
        print("check_translations: gettext not installed; skipped the source scan (CI installs it).")
        return []
    problems = []
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        before = {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path))}
        saved = po_path.read_bytes()
        try:
            subprocess.run(
                [sys.executable, "manage.py", "makemessages", "--locale", po_path.parts[-3], "--no-location",
                 "--ignore", "node_modules/*", "--ignore", "var/*", "--ignore", ".venv/*", "-v0"],
                cwd=ROOT, check=True,
            )  # fmt: skip
            after = {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path)) if not e.obsolete}
        finally:
            po_path.write_bytes(saved)
        missing = sorted(msgid for _ctx, msgid in after - before)
        if missing:
            problems.append(f"{po_path}: {len(missing)} texts in the code are missing, e.g. {missing[:3]}")
    return problems


def main() -> int:
    catalogues = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
    if not catalogues:
        print("check_translations: no catalogues under locale/")
        return 1
    problems = [p for po in catalogues for p in catalogue_problems(po)] + missing_from_source()
    for problem in problems:
        print(problem)
    if not problems:
        print(f"check_translations: {len(catalogues)} catalogues complete and compiled.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
