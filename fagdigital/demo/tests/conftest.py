"""The demo, seeded once for all the demo tests that need it.

Seeding takes seconds, so the package seeds it once inside a transaction that is rolled back after the
last demo test; every test runs in its own savepoint on top of it. Tests that do not ask for it may
still run after it was made, so they never assume an empty database.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings


@pytest.fixture(scope="package")
def seeded_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """`seed_demo` run once; yields what the command printed."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        with override_settings(DEBUG=True):
            call_command("seed_demo", stdout=out)
        # Check the deferred foreign keys now, once: otherwise every test's rollback checks them again.
        connection.check_constraints()
        yield out.getvalue()
        transaction.set_rollback(True)
