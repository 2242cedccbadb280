"""How a proposal was decided is kept as `by` (session, vote) and `where` (the title), and a session not held
as `not_held`, worded in the reader's language when shown; older lines held the words of the moment they were
written (Chinese or English), turned back into codes here. Other free text stays as it was."""

import re

from django.db import migrations

PATTERNS = [
    ("how", re.compile(r"^（议事会议“(?P<title>.*)”）$"), "session"),
    ("how", re.compile(r"^\(council session “(?P<title>.*)”\)$"), "session"),
    ("how", re.compile(r"^（社区投票“(?P<title>.*)”）$"), "vote"),
    ("how", re.compile(r"^\(community vote “(?P<title>.*)”\)$"), "vote"),
    ("why", re.compile(r"^会议“(?P<title>.*)”因未达法定人数未能召开$"), "not_held"),
    ("why", re.compile(r"^the session “(?P<title>.*)” was not held \(no quorum\)$"), "not_held"),
]


def to_codes(apps, schema_editor):
    TimelineEntry = apps.get_model("civic", "TimelineEntry")
    verbs = ["proposal.adopted", "proposal.not_adopted", "proposal.unscheduled"]
    for entry in TimelineEntry.objects.filter(verb__in=verbs):
        for name, pattern, code in PATTERNS:
            found = pattern.match(entry.params.get(name) or "")
            if not found:
                continue
            rest = {k: v for k, v in entry.params.items() if k != name}
            title = found.group("title")
            entry.params = {**rest, "not_held": title} if code == "not_held" else {**rest, "by": code, "where": title}
            entry.save(update_fields=["params"])
            break


class Migration(migrations.Migration):
    dependencies = [("proposals", "0006_category_name_en"), ("civic", "0005_outcomenotice")]

    operations = [migrations.RunPython(to_codes, migrations.RunPython.noop)]
