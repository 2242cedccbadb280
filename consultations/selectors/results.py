"""The result of a consultation, read from the record: the final text beside the draft with each change and
the opinions behind it, and the feedback report (意见采纳情况说明). Each costs a fixed number of queries
whatever the number of opinions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from django.db.models import Count, Exists, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from civic.selectors import Decision, decision_rows

from ..models import (
    Classification,
    Consultation,
    ConsultationState,
    Opinion,
    OpinionGroup,
    QuestionAnswer,
    Source,
    Symposium,
    TextUnit,
    TextVersion,
    VersionKind,
)
from ..textdiff import diff_html

__all__ = [
    "ComparisonRow",
    "FeedbackReport",
    "comparison",
    "feedback_report",
    "result_decisions",
    "result_public",
]

S = ConsultationState
ADOPTING = (Classification.ADOPTED, Classification.PARTLY_ADOPTED)
NOT_COUNTED = Classification.OUT_OF_SCOPE  # left out of the adoption rate's denominator


def result_public(consultation: Consultation) -> bool:
    return consultation.state == S.CONCLUDED


@dataclass
class ComparisonRow:
    """One line of the side-by-side comparison: a draft unit and what became of it."""

    draft: TextUnit | None
    final: TextUnit | None
    diff: str = ""  # the character diff as escaped HTML, when the wording changed
    causes: list[Opinion] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.draft is None:
            return "added"
        if self.final is None:
            return "removed"
        return "changed" if self.draft.text != self.final.text or self.draft.number != self.final.number else "same"

    @property
    def anchor(self) -> str:
        unit = self.final or self.draft
        return unit.anchor if unit else ""


def _version(consultation, kind) -> TextVersion | None:
    return TextVersion.objects.filter(consultation=consultation, kind=kind).first()


def comparison(consultation: Consultation) -> list[ComparisonRow]:
    """The draft and the final text side by side in the final text's order; a removed draft unit stands
    after the unit it followed. Four queries: the versions, the draft units, the final units with their
    causes."""
    draft_units = list(
        TextUnit.objects.filter(version__consultation=consultation, version__kind=VersionKind.DRAFT)
        .prefetch_related("changed_by")
        .order_by("position")
    )
    final_units = list(
        TextUnit.objects.filter(version__consultation=consultation, version__kind=VersionKind.FINAL)
        .prefetch_related("changed_by")
        .order_by("position")
    )
    replaced = {u.replaces_id: u for u in final_units if u.replaces_id}
    draft_by_id = {u.pk: u for u in draft_units}
    rows: list[ComparisonRow] = []
    removed_after: dict[int | None, list[TextUnit]] = {}
    previous_kept: int | None = None
    for unit in draft_units:
        if unit.pk in replaced:
            previous_kept = unit.pk
        else:
            removed_after.setdefault(previous_kept, []).append(unit)

    def removed(after: int | None) -> None:
        for unit in removed_after.pop(after, []):
            rows.append(ComparisonRow(draft=unit, final=None, causes=list(unit.changed_by.all())))

    removed(None)
    for unit in final_units:
        draft = draft_by_id.get(unit.replaces_id) if unit.replaces_id else None
        row = ComparisonRow(draft=draft, final=unit, causes=list(unit.changed_by.all()))
        if draft is not None and row.status == "changed":
            row.diff = diff_html(draft.text, unit.text)
        rows.append(row)
        if draft is not None:
            removed(draft.pk)
    for after in list(removed_after):
        removed(after)
    return rows


@dataclass
class ReportEntry:
    """An answer as the report lists it: one opinion, or a group of opinions answered once."""

    unit: str
    text: str
    classification: str
    classification_label: str
    reason: str
    count: int = 1
    source_label: str = ""


@dataclass
class FeedbackReport:
    consultation: Consultation
    opinions: int = 0
    participants: int = 0
    online_authors: int = 0
    organisations: int = 0
    offline: int = 0
    symposium_count: int = 0
    symposium_attendance: int = 0
    respondents: int = 0  # people who answered the questions
    answered: int = 0
    answered_in_time: int = 0
    by_source: list[tuple[str | Promise, int]] = field(default_factory=list)
    by_classification: dict[str, int] = field(default_factory=dict)
    classification_rows: list[tuple[str | Promise, int]] = field(default_factory=list)
    by_unit: list[tuple[str, int, int]] = field(default_factory=list)  # (unit, opinions, adopted or partly)
    adopted: list[ReportEntry] = field(default_factory=list)
    not_adopted: list[ReportEntry] = field(default_factory=list)
    changed_units: int = 0

    @property
    def adoption_base(self) -> int:
        return self.answered - self.by_classification.get(NOT_COUNTED, 0)

    @property
    def adoption_rate(self) -> float | None:
        """(采纳 + 部分采纳) / answered opinions other than 不属于本次范围, grouped opinions one by one."""
        if not self.adoption_base:
            return None
        taken = sum(self.by_classification.get(c, 0) for c in ADOPTING)
        return taken / self.adoption_base

    @property
    def adoption_rate_text(self) -> str:
        rate = self.adoption_rate
        return "—" if rate is None else f"{number_format(rate * 100, 1)}%"

    @property
    def in_time_text(self) -> str:
        if not self.answered:
            return "—"
        return f"{number_format(self.answered_in_time * 100 / self.answered, 1)}%"


def _draft_labels(consultation: Consultation) -> dict[int | None, str]:
    """How the report cites each unit of the draft, as the rest of the site does (第四条第一款, …)."""
    from .consultations import unit_labels

    draft = TextUnit.objects.filter(version__consultation=consultation, version__kind=VersionKind.DRAFT)
    labels = cast(dict[int | None, str], unit_labels(list(draft.order_by("position"))))
    labels[None] = _("the text as a whole")
    return labels


def _entries(
    opinions: list[Opinion], groups: dict[int, OpinionGroup], labels: dict[int | None, str]
) -> list[ReportEntry]:
    """One entry per opinion answered alone, one per group (with its number of opinions)."""
    entries: list[ReportEntry] = []
    seen_groups: dict[int, ReportEntry] = {}
    for o in opinions:
        if o.group_id and o.group_id in groups:
            entry = seen_groups.get(o.group_id)
            if entry is not None:
                entry.count += 1
                continue
            group = groups[o.group_id]
            entry = ReportEntry(
                unit=labels.get(o.unit_id, ""),
                text=group.title,
                classification=o.classification,
                classification_label=o.get_classification_display(),
                reason=o.reason,
            )
            seen_groups[o.group_id] = entry
            entries.append(entry)
            continue
        entries.append(
            ReportEntry(
                unit=labels.get(o.unit_id, ""),
                text=_("(hidden by moderation)") if o.is_hidden else Truncator(o.text).chars(200),
                classification=o.classification,
                classification_label=o.get_classification_display(),
                reason=o.reason,
                source_label=o.get_source_display(),
            )
        )
    return entries


def feedback_report(consultation: Consultation) -> FeedbackReport:
    """The feedback report compiled from the record. A fixed number of queries: aggregates, the answered
    opinions (only the columns the report shows), the groups, the symposiums and the question answers."""
    report = FeedbackReport(consultation=consultation)
    opinions = Opinion.objects.filter(consultation=consultation).order_by()
    due = consultation.answer_due
    totals = opinions.aggregate(
        total=Count("pk"),
        online_authors=Count("author", filter=Q(source=Source.ONLINE), distinct=True),
        organisations=Count("organisation", distinct=True),
        offline=Count("pk", filter=~Q(source=Source.ONLINE)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
    )
    report.opinions = totals["total"]
    report.online_authors = totals["online_authors"]
    report.organisations = totals["organisations"]
    report.offline = totals["offline"]
    report.answered = totals["answered"]
    if due is not None:
        end_of_due = timezone.make_aware(datetime.combine(due, datetime.max.time()))
        report.answered_in_time = opinions.filter(answered_at__lte=end_of_due).count()
    else:
        report.answered_in_time = report.answered
    sources = dict(opinions.values("source").annotate(n=Count("pk")).values_list("source", "n"))
    report.by_source = [(label, sources[value]) for value, label in Source.choices if sources.get(value)]
    classes = dict(
        opinions.exclude(classification="")
        .values("classification")
        .annotate(n=Count("pk"))
        .values_list("classification", "n")
    )
    report.by_classification = classes
    report.classification_rows = [(label, classes.get(value, 0)) for value, label in Classification.choices]
    symposiums = Symposium.objects.filter(consultation=consultation).aggregate(n=Count("pk"), people=Sum("attendance"))
    report.symposium_count = symposiums["n"]
    report.symposium_attendance = symposiums["people"] or 0
    report.respondents = (
        QuestionAnswer.objects.filter(question__consultation=consultation).values("respondent").distinct().count()
    )
    # Participants: the people and organisations who gave an opinion online, the people at the symposiums,
    # and each opinion that came in by letter, hotline or visit (one person each).
    other_offline = opinions.filter(source__in=[Source.LETTER, Source.HOTLINE, Source.VISIT]).count()
    report.participants = report.online_authors + report.symposium_attendance + other_offline
    per_unit = (
        opinions.values("unit", "unit__number", "unit__text", "unit__position")
        .annotate(n=Count("pk"), taken=Count("pk", filter=Q(classification__in=ADOPTING)))
        .order_by(F("unit__position").asc(nulls_first=True))  # the text as a whole first, on every database
    )
    labels = _draft_labels(consultation)
    for row in per_unit:
        report.by_unit.append((labels.get(row["unit"], ""), row["n"], row["taken"]))
    answered = list(
        opinions.filter(answered_at__isnull=False)
        .select_related("unit")
        .only(
            "pk",
            "text",
            "is_hidden",
            "source",
            "classification",
            "reason",
            "group_id",
            "unit__number",
            "unit__text",
            "unit__position",
        )
        .order_by(F("unit__position").asc(nulls_first=True), "created_at", "pk")
    )
    groups = {g.pk: g for g in OpinionGroup.objects.filter(consultation=consultation).only("pk", "title")}
    report.adopted = _entries([o for o in answered if o.classification in ADOPTING], groups, labels)
    report.not_adopted = _entries([o for o in answered if o.classification not in ADOPTING], groups, labels)
    # added or reworded units of the final text, and draft units it no longer has
    report.changed_units = (
        TextUnit.objects.filter(version__consultation=consultation, version__kind=VersionKind.FINAL)
        .filter(Q(replaces__isnull=True) | ~Q(text=F("replaces__text")) | ~Q(number=F("replaces__number")))
        .count()
        + TextUnit.objects.filter(
            version__consultation=consultation, version__kind=VersionKind.DRAFT, replaced_by__isnull=True
        )
        .filter(Exists(TextVersion.objects.filter(consultation=consultation, kind=VersionKind.FINAL)))
        .count()
    )
    return report


def result_decisions(path: str, pk=None, unpublished=True):
    """Concluded consultations of the area at `path` and below, as decisions to publish as notices."""
    rows: QuerySet[Consultation] = Consultation.objects.filter(
        area_path__startswith=path, state=S.CONCLUDED, concluded_at__isnull=False
    )
    rows = decision_rows(rows, "consult", pk=pk, unpublished=unpublished)
    for consultation in rows.order_by():
        assert consultation.concluded_at is not None  # filtered above
        yield Decision(
            kind="consult",
            source_key=f"consult:{consultation.pk}",
            title=Truncator(_("Feedback on the opinions: %(title)s") % {"title": consultation.title}).chars(120),
            summary=consultation.result_summary,
            decided_at=consultation.concluded_at,
            area_path=consultation.area_path,
            source_url=consultation.get_absolute_url(),
        )
