"""The civic core takes over the outcome notices: funding 0004 renamed their table to civic_outcomenotice,
so the model is only declared here (no table is created, no row copied), then its indexes take civic names.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import civic.registry

INDEXES = ("area", "published", "source", "kind")


class Migration(migrations.Migration):
    dependencies = [
        ("civic", "0004_calendar"),
        ("funding", "0004_outcome_notice_to_civic"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutcomeNotice",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("area_path", models.CharField(editable=False, max_length=400)),
                        (
                            "kind",
                            models.CharField(
                                choices=civic.registry.notice_kind_choices, max_length=10, verbose_name="kind"
                            ),
                        ),
                        ("title", models.CharField(max_length=120, verbose_name="title")),
                        ("body", models.TextField(max_length=10000, verbose_name="text")),
                        ("source_url", models.CharField(blank=True, max_length=300, verbose_name="source")),
                        ("source_key", models.CharField(blank=True, max_length=60)),
                        ("decided_at", models.DateTimeField(verbose_name="decision taken")),
                        (
                            "published_at",
                            models.DateTimeField(default=django.utils.timezone.now, verbose_name="published"),
                        ),
                        (
                            "area",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="notices",
                                to="civic.area",
                                verbose_name="area",
                            ),
                        ),
                        (
                            "corrects",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="corrections",
                                to="civic.outcomenotice",
                                verbose_name="corrects",
                            ),
                        ),
                        (
                            "published_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "outcome notice",
                        "verbose_name_plural": "outcome notices",
                        "ordering": ["-published_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["area_path"], name="funding_notice_area", opclasses=["varchar_pattern_ops"]
                            ),
                            models.Index(fields=["-published_at"], name="funding_notice_published"),
                            models.Index(fields=["source_key"], name="funding_notice_source"),
                            models.Index(fields=["kind", "-published_at"], name="funding_notice_kind"),
                        ],
                    },
                ),
            ],
        ),
        *[
            migrations.RenameIndex(
                model_name="outcomenotice", new_name=f"civic_notice_{name}", old_name=f"funding_notice_{name}"
            )
            for name in INDEXES
        ],
    ]
