"""Sessions keep the rules they opened under. A session that had opened before rules were frozen keeps the
rules of its council as they are now, at revision 1 (the engine's behaviour when it was held), so its
record replays as it was recorded; a scheduled session freezes its rules when it opens."""

from django.db import migrations, models


def freeze_opened_sessions(apps, schema_editor):
    from dataclasses import replace

    from deliberation import procedure

    Session = apps.get_model("deliberation", "Session")
    for session in Session.objects.exclude(phase="scheduled").select_related("council").iterator():
        rules = procedure.rules_from_preset(session.council.preset, session.council.overrides)
        rules = replace(rules, revision=1, chair_mode=procedure.ChairMode.CASTING)
        session.rules = procedure.rules_to_json(rules)
        session.save(update_fields=["rules"])


class Migration(migrations.Migration):
    dependencies = [
        ("deliberation", "0004_minutes"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="rules",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(freeze_opened_sessions, migrations.RunPython.noop),
    ]
