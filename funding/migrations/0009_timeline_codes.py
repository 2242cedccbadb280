"""Timeline lines of funding keep codes of fixed vocabularies (a funding source, an advance's condition, an
objection's outcome), worded in the reader's language when shown: older lines held the words of the language
of the moment they were written, Chinese or English, which are turned back into their codes here."""

from django.db import migrations

WORDS = {
    ("project.commitment", "source"): {
        "government": ("政府补助", "government subsidy"),
        "enterprise": ("企业", "enterprise"),
        "social": ("社会组织", "social organisation"),
        "residents": ("居民自筹", "residents' self-raised money"),
        "in_kind": ("实物（劳务）投入", "in-kind contribution"),
    },
    ("award.advance_paid", "condition"): {
        "start": ("开工时", "at the start of work"),
        "midpoint": ("工程过半时", "at the mid-point milestone"),
        "completion": ("实施方报告完工时", "at the implementer's completion report"),
    },
    ("award.objection_answered", "outcome"): {
        "open": ("待答复", "awaiting an answer"),
        "upheld": ("异议成立", "upheld"),
        "rejected": ("异议不成立", "rejected"),
        "closed": ("随奖补撤销而终结", "closed with the cancelled award"),
    },
}


def to_codes(apps, schema_editor):
    TimelineEntry = apps.get_model("civic", "TimelineEntry")
    for (verb, name), codes in WORDS.items():
        code_of = {word: code for code, words in codes.items() for word in words}
        for entry in TimelineEntry.objects.filter(verb=verb):
            value = entry.params.get(name)
            if value in code_of:
                entry.params = {**entry.params, name: code_of[value]}
                entry.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [("funding", "0008_assisted_channel"), ("civic", "0005_outcomenotice")]

    operations = [migrations.RunPython(to_codes, migrations.RunPython.noop)]
