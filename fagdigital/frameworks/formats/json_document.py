"""What identifies a fagdigital framework JSON document (schema/framework.schema.json): its reader and
writer both need it."""

from __future__ import annotations

FORMAT = "fagdigital-framework"
FORMAT_VERSION = 1
