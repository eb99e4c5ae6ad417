"""Run fagdigital's benchmarks on a fresh database; print a table and merge var/bench/results.json.

    python bench/run.py [NAMES] [--set KEY=VALUE ...]     (normally through `./dev bench [NAMES]`)

Each `bench/bench_<name>.py` exposes `run(**kwargs) -> dict[str, dict]`, one entry per figure:
{"value": ..., "unit": ..., "baseline": ..., "ratio": ...}. NAMES pick benchmarks by <name> (all when
none are given); `--set employees=5000` passes keyword arguments to every selected benchmark's `run`.
The benchmarks run in a database of their own (created, migrated and dropped here), so the development
and test databases are never touched; it is reset to its freshly migrated state between benchmarks.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
BENCH_DB_NAME = "fagdigital_bench"
FIELDS = ("value", "unit", "baseline", "ratio")

Results = dict[str, dict[str, Any]]


def discover() -> dict[str, Path]:
    """Benchmark name (the module's suffix) → file."""
    return {path.stem.removeprefix("bench_"): path for path in sorted(BENCH_DIR.glob("bench_*.py"))}


def load(name: str, path: Path) -> Callable[..., Results]:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    run = getattr(module, "run", None)
    if not callable(run):
        raise TypeError(f"{path.name} has no run() function")
    return cast("Callable[..., Results]", run)


def parse_value(text: str) -> Any:
    """`--set` values: int, float, true/false, else the string."""
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    if text.lower() in {"true", "false"}:
        return text.lower() == "true"
    return text


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run fagdigital's benchmarks.")
    parser.add_argument("names", nargs="*", help="benchmarks to run, e.g. `import generate` (default: all)")
    parser.add_argument(
        "--set", dest="options", action="append", default=[], metavar="KEY=VALUE", help="keyword for run()"
    )
    return parser.parse_args(argv)


def fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3g}" if abs(value) < 0.01 else f"{value:.3f}"


def table(results: Results) -> str:
    header = ("name", *FIELDS)
    rows = [
        header,
        *[(name, *(fmt(entry.get(field)) for field in FIELDS)) for name, entry in results.items()],
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            cell.ljust(width) if column in {0, 2} else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def write_results(path: Path, results: Results) -> None:
    """Merge into the results file: figures from this run replace earlier ones with the same name."""
    existing: Results = {}
    if path.exists():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            existing = loaded if isinstance(loaded, dict) else {}
        except json.JSONDecodeError:
            print(f"warning: {path} was not valid JSON; starting it afresh", file=sys.stderr)
    existing.update({name: {field: entry.get(field) for field in FIELDS} for name, entry in results.items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(dict(sorted(existing.items())), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    available = discover()
    wanted = [name.removeprefix("bench_").removesuffix(".py") for name in args.names] or list(available)
    unknown = [name for name in wanted if name not in available]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available) or 'none'}")
        return 2
    kwargs = {}
    for option in args.options:
        key, sep, value = option.partition("=")
        if not sep or not key:
            print(f"--set wants KEY=VALUE, not {option!r}")
            return 2
        kwargs[key] = parse_value(value)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # noqa: PLC0415 -- only after the path and settings are in place

    django.setup()
    from django.apps import apps as django_apps  # noqa: PLC0415
    from django.conf import settings  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.core.management.color import no_style  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import setup_databases, teardown_databases  # noqa: PLC0415

    if connection.vendor != "postgresql":
        print(
            f"note: running on {connection.vendor}; the figures that count are PostgreSQL's (`./dev bench`)"
        )
    if connection.vendor != "sqlite":
        connection.settings_dict["TEST"]["NAME"] = BENCH_DB_NAME
    runs = {name: load(name, available[name]) for name in wanted}

    def reset_database() -> None:
        """Back to the freshly migrated state, as TransactionTestCase's serialized rollback, sequences too."""
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)  # type: ignore[attr-defined]
        models = django_apps.get_models(include_auto_created=True)
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    print(f"Creating the benchmark database ({connection.vendor}) ...", flush=True)
    old_config = setup_databases(verbosity=0, interactive=False)
    results: Results = {}
    failed: list[str] = []
    try:
        for index, (name, run) in enumerate(runs.items()):
            if index:
                reset_database()
            print(f"Running {name} ...", flush=True)
            started = time.perf_counter()
            try:
                produced = run(**kwargs)
            except Exception:  # report it and go on with the other benchmarks
                traceback.print_exc()
                failed.append(name)
                continue
            print(f"  {name} took {time.perf_counter() - started:.1f} s", flush=True)
            results.update(produced)
    finally:
        teardown_databases(old_config, verbosity=0)

    if results:
        print()
        print(table(results))
        path = Path(settings.VAR_DIR) / "bench" / "results.json"
        write_results(path, results)
        print(f"\nWritten to {path}")
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
