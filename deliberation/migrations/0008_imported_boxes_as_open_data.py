"""Elections imported from pabulib files keep their own voting days (they were stored with the moment of the
import as a one-minute voting period) and no longer carry the file's raw META ("country: Poland, …") as their
description: the pages show where they come from, in words, from `source_meta`."""

from datetime import datetime, time, timedelta

from django.db import migrations
from django.utils import timezone


def _date(text):
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(str(text).strip(), pattern).date()
        except ValueError:
            continue
    return None


def _start(day):
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def forwards(apps, schema_editor):
    BallotBox = apps.get_model("deliberation", "BallotBox")
    for box in BallotBox.objects.filter(imported=True):
        meta = box.source_meta or {}
        first, last = _date(meta.get("date_begin", "")), _date(meta.get("date_end", ""))
        fields = []
        if box.description.startswith(("country: ", "unit: ", "subunit: ", "instance: ", "date_begin: ")):
            box.description = ""
            fields.append("description")
        if first and last and first <= last:
            box.opens_at, box.closes_at = _start(first), _start(last + timedelta(days=1))
            fields += ["opens_at", "closes_at"]
        if fields:
            box.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [("deliberation", "0007_assisted_channel")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
