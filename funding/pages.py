"""Which cached page parts (civic.pagecache) a write to funding changes, and the scopes each page reads.

- `projects:CODE` — the project lists of area CODE (every area above a project's area lists it too) and
  `projects:*`, the list of every area: a project's row (title, state, budget, area, implementer) and its
  milestones (the card counts the overdue ones).
- `project:PK` — a project's public page: the row and everything the page shows of it (budget lines,
  commitments and receipts, milestones, progress reports, photos, inspections, ratings, awards, objections,
  ledger entries); its story is `timeline:CT:PK` (civic.pages), and its proposal's too.
- `ledger:CODE` — the ledger page of area CODE: the entries of the projects in it and under it;
  `ledger-charge:CODE` — what is charged to area CODE as a policy area (its awards, payments, the caps of
  its policy versions), which the ledger page of CODE and of every area under it shows; `ledger-head` —
  the head of the hash chain, which every ledger page prints: any new entry moves it, so a posting renders
  each ledger page afresh once (postings are officials' acts, a few a day, not a reader's click).
- `policies` — the subsidy policy versions (a project page reads the rating period of the policy in force).
- shared: `areas`, `organisations` (implementers), `people` (names of authors and inspectors).
"""

from civic import pagecache

from .models import (
    AwardObjection,
    BudgetLine,
    Commitment,
    Inspection,
    LedgerEntry,
    MicroProject,
    Milestone,
    ProgressReport,
    ProjectPhoto,
    Receipt,
    SatisfactionRating,
    SubsidyAward,
    SubsidyPolicy,
)

COMMON = ("areas", "organisations")


def list_scopes(code: str | None) -> list[str]:
    """The project list of area `code` (None: of every area)."""
    return [f"projects:{code}" if code else "projects:*", *COMMON]


def detail_scopes(pk: int, proposal_id: int | None) -> list[str]:
    from django.contrib.contenttypes.models import ContentType

    scopes = [f"project:{pk}", f"timeline:{ContentType.objects.get_for_model(MicroProject).pk}:{pk}"]
    if proposal_id:
        from proposals.models import Proposal

        subject = ContentType.objects.get_for_model(Proposal).pk
        scopes += [f"proposal:{proposal_id}", f"timeline:{subject}:{proposal_id}"]
    return [*scopes, "people", "policies", *COMMON]


def ledger_scopes(area) -> list[str]:
    """The ledger page of `area`: its projects' entries, the charges of the areas at or above it (a policy
    area is the project's own or one above it), and the chain head."""
    return [f"ledger:{area.code}", *pagecache.area_scopes("ledger-charge", area.path), "ledger-head", *COMMON]


def _in_lists(area_path: str) -> list[str]:
    return ["projects:*", *pagecache.area_scopes("projects", area_path)]


def _project(project: MicroProject) -> list[str]:
    scopes = [f"project:{project.pk}", *_in_lists(project.area_path)]
    before = getattr(project, "_pagecache_area_path", None)
    if before and before != project.area_path:  # moved: the lists it left change too
        scopes += _in_lists(before)
    return scopes


def _milestone(row: Milestone) -> list[str]:
    """A milestone: the project's page and the lists whose rows count the overdue ones."""
    return [f"project:{row.project_id}", *_in_lists(row.project.area_path)]


def _page_only(row) -> list[str]:
    return [f"project:{row.project_id}"]


def _receipt(row: Receipt) -> list[str]:
    return [f"project:{row.commitment.project_id}"]


def _objection(row: AwardObjection) -> list[str]:
    return [f"project:{row.award.project_id}"]


def _award(row: SubsidyAward) -> list[str]:
    # an approved award names the policy version the ledger page's caps are read from
    return [f"project:{row.project_id}", f"ledger-charge:{row.charge_area.code}"]


def _entry(row: LedgerEntry) -> list[str]:
    return [
        f"project:{row.project_id}",
        *pagecache.area_scopes("ledger", row.project.area_path),
        f"ledger-charge:{row.area.code}",
        "ledger-head",
    ]


def _policy(row: SubsidyPolicy) -> list[str]:
    return ["policies", f"ledger-charge:{row.area.code}"]


def _remember_area(sender, instance, **kwargs):
    instance._pagecache_area_path = instance.__dict__.get("area_path")


def watch() -> None:
    from django.db.models.signals import post_init

    post_init.connect(_remember_area, sender=MicroProject, weak=False, dispatch_uid="pagecache-project-area")
    pagecache.watch(MicroProject, _project)
    pagecache.watch(Milestone, _milestone)
    for model in (BudgetLine, Commitment, ProgressReport, ProjectPhoto, Inspection, SatisfactionRating):
        pagecache.watch(model, _page_only)
    pagecache.watch(Receipt, _receipt)
    pagecache.watch(AwardObjection, _objection)
    pagecache.watch(SubsidyAward, _award)
    pagecache.watch(LedgerEntry, _entry)
    pagecache.watch(SubsidyPolicy, _policy)
