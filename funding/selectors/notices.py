"""What funding publishes as outcome notices (公告): its decisions (awards under public notice, payments)
and the publication deadline its subsidy policies set. Registered with the civic core in `funding.registry`.
"""

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from civic.money import format_yuan
from civic.selectors import Decision, decision_rows

from .. import chain
from ..models import EntryKind, LedgerEntry, SubsidyAward, SubsidyPolicy, ledger_head

PAYMENT_KINDS = (EntryKind.ADVANCE, EntryKind.SETTLEMENT)


def _short(text: str, limit: int = 120) -> str:
    return Truncator(text).chars(limit)


def notice_deadlines(codes, now) -> list[tuple[str, int]]:
    """The working days a decision may wait for its notice: the `answer_days` of the subsidy policy in force
    for the decision's own area, as [(area path, days)], the rule that wins first. One query."""
    rows = (
        SubsidyPolicy.objects.filter(area__code__in=codes, effective_from__lte=now)
        .values_list("area__path", "area__depth", "effective_from", "version", "answer_days")
        .order_by()
    )
    # The deepest area wins, then the latest start, then the highest version (as policy_in_force).
    return [(path, days) for path, *_rank, days in sorted(rows, key=lambda r: (r[1], r[2], r[3]), reverse=True)]


def notice_deadlines_change_at(now):
    """The next moment a subsidy policy comes into force (the deadlines above change then), or None."""
    return (
        SubsidyPolicy.objects.filter(effective_from__gt=now)
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )


def ledger_stamp() -> str:
    """The line every award and payment notice carries: the ledger chain's head when it was published."""
    head = ledger_head()
    return _("Ledger chain head at publication: %(short)s (in full: %(full)s)") % {
        "short": chain.short(head),
        "full": head,
    }


def award_decisions(path: str, pk=None, unpublished=True):
    """Awards computed for projects in the area at `path` and below (see civic.registry.NoticeKind)."""
    rows = SubsidyAward.objects.filter(project__area_path__startswith=path).select_related("project")
    rows = decision_rows(rows, "award", pk=pk, unpublished=unpublished)
    for award in rows.order_by():
        project = award.project
        yield Decision(
            kind="award",
            source_key=f"award:{award.pk}",
            title=_short(
                _("%(stage)s for “%(project)s”: %(amount)s")
                % {
                    "stage": award.get_stage_display(),
                    "project": project.title,
                    "amount": format_yuan(award.amount),
                }
            ),
            summary=_("Under public notice until %(until)s; objections until %(objections)s.")
            % {
                "until": f"{timezone.localtime(award.notice_until):%Y-%m-%d}",
                "objections": f"{timezone.localtime(award.objections_until):%Y-%m-%d}",
            },
            decided_at=award.computed_at,
            area_path=project.area_path,
            source_url=project.get_absolute_url(),
        )


def award_waiting(path: str):
    """(area path, decided at) of each award `award_decisions(path)` yields: one query of two columns."""
    rows = decision_rows(SubsidyAward.objects.filter(project__area_path__startswith=path), "award")
    return rows.order_by().values_list("project__area_path", "computed_at")


def payment_decisions(path: str, pk=None, unpublished=True):
    """Advances and settlements paid to projects in the area at `path` and below."""
    rows = LedgerEntry.objects.filter(kind__in=PAYMENT_KINDS, project__area_path__startswith=path).select_related(
        "project"
    )
    rows = decision_rows(rows, "payment", pk=pk, unpublished=unpublished)
    for entry in rows.order_by():
        project = entry.project
        yield Decision(
            kind="payment",
            source_key=f"payment:{entry.pk}",
            title=_short(
                _("%(kind)s for “%(project)s”: %(amount)s")
                % {"kind": entry.get_kind_display(), "project": project.title, "amount": format_yuan(entry.amount)}
            ),
            summary=entry.memo,
            decided_at=entry.created_at,
            area_path=project.area_path,
            source_url=project.get_absolute_url(),
        )


def payment_waiting(path: str):
    """(area path, decided at) of each payment `payment_decisions(path)` yields: one query of two columns."""
    rows = LedgerEntry.objects.filter(kind__in=PAYMENT_KINDS, project__area_path__startswith=path)
    return decision_rows(rows, "payment").order_by().values_list("project__area_path", "created_at")
