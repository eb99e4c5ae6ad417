import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "kommuner.csv"
OFFICIAL_NAMES = {"0101": "Københavns Kommune", "0400": "Bornholms Regionskommune"}


def load(apps, schema_editor):
    Organisation = apps.get_model("tenancy", "Organisation")
    with CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["kommunekode"].zfill(4)
            Organisation.objects.get_or_create(
                kommunekode=code,
                defaults={
                    "kind": "municipality",
                    "name": OFFICIAL_NAMES.get(code, f"{row['navn']} Kommune"),
                    "region": row["region"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0001_organisations_memberships_networks")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
