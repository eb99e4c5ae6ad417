"""What the demo seeding has written, so that a second run can tell it has nothing to do."""

from __future__ import annotations

from django.db import models

from fagdigital.core.models import TimeStampedModel


class SeedFingerprint(TimeStampedModel):
    """A hash of the rows last imported for one seeded organisation (e.g. "demo:0999")."""

    key = models.CharField(max_length=64, unique=True)
    fingerprint = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.key
