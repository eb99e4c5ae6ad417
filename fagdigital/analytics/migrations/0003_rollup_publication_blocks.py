# Rollups become published block figures (docs/decisions/0010-publication-blocks.md). They are derived
# data: the old rows are dropped, and `rebuild_rollups` (or a round closing) publishes the new ones.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0002_rollup_version_lean_indexes"),
        ("assessments", "0001_campaigns_responses_evidence"),
        ("frameworks", "0001_frameworks_areas_competences_role_profiles"),
        ("tenancy", "0003_organisation_min_group_size"),
    ]

    operations = [
        migrations.DeleteModel(name="Rollup"),
        migrations.CreateModel(
            name="Rollup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("estimate", "Samlet vurdering"),
                            ("self", "Selvvurdering"),
                            ("leader", "Ledervurdering"),
                            ("test", "Videnstest"),
                        ],
                        max_length=16,
                    ),
                ),
                ("block", models.PositiveIntegerField()),
                ("unit_path", models.CharField(blank=True, max_length=255)),
                ("direct_only", models.BooleanField(default=False)),
                ("role_profile_code", models.CharField(blank=True, max_length=100)),
                ("people", models.PositiveIntegerField(default=0)),
                ("level_1", models.PositiveIntegerField(default=0)),
                ("level_2", models.PositiveIntegerField(default=0)),
                ("level_3", models.PositiveIntegerField(default=0)),
                ("level_4", models.PositiveIntegerField(default=0)),
                (
                    "campaign",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="assessments.campaign",
                    ),
                ),
                (
                    "competence",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="frameworks.competence",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="tenancy.organisation",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["organisation", "campaign", "source", "unit_path"],
                        name="rollup_range",
                        opclasses=["int8_ops", "int8_ops", "text_ops", "varchar_pattern_ops"],
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("campaign", "source", "block", "competence"), name="rollup_block_figure_once"
                    )
                ],
            },
        ),
    ]
