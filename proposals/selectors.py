"""Reads of proposals: the list with its filters and search, the page's parts, overdue answers."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from civic import pagecache
from civic.models import Area, AreaRoleKind
from civic.pagination import ListPaginator, kept_count
from civic.selectors import Decision, areas_for_roles, decision_rows, effective_verification, organisations_represented

from . import lifecycle
from .models import AreaPolicy, Comment, CoSponsor, Endorsement, Follow, OfficialAnswer, Proposal, ProposalState
from .search import query_tokens, tokens, tsquery


@dataclass(frozen=True)
class Policy:
    endorsement_threshold: int
    collection_days: int
    response_working_days: int
    area: Area | None = None
    author_counts: bool = True


def policy_for(area: Area) -> Policy:
    """The nearest rules at or above `area` (one query), or the site's defaults."""
    codes = area.path.strip("/").split("/")
    found = {p.area.code: p for p in AreaPolicy.objects.filter(area__code__in=codes).select_related("area")}
    for code in reversed(codes):
        if code in found:
            p = found[code]
            return Policy(p.endorsement_threshold, p.collection_days, p.response_working_days, p.area, p.author_counts)
    return Policy(
        settings.PROPOSAL_DEFAULT_THRESHOLD,
        settings.PROPOSAL_DEFAULT_COLLECTION_DAYS,
        settings.PROPOSAL_DEFAULT_RESPONSE_WORKING_DAYS,
    )


def areas_to_propose_in(user) -> QuerySet[Area]:
    """The areas offered to `user` when writing a proposal: exactly those where they hold the permission
    `proposals.propose_in_area` (the rule is described in `predicates.py`)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Area.objects.none()
    if user.is_superuser:
        return Area.objects.order_by("path")
    condition = Q(pk__in=[])
    verification = effective_verification(user)
    if verification:  # the verified cell and every area above it
        condition |= Q(code__in=verification.cell.path.strip("/").split("/"))
    for organisation in organisations_represented(user).prefetch_related("areas"):
        for served in organisation.areas.all():  # the served area, every area inside it and above it
            condition |= Q(path__startswith=served.path) | Q(code__in=served.path.strip("/").split("/"))
    staff = areas_for_roles(user, {AreaRoleKind.OFFICIAL, AreaRoleKind.ORGANISER})
    condition |= Q(pk__in=staff.values("pk"))
    return Area.objects.filter(condition).order_by("path")


def effective_state(proposal: Proposal, now=None) -> str:
    """The state as the clock sees it: a window that has passed is closed whether or not a job ran."""
    now = now or timezone.now()
    if (
        proposal.state == ProposalState.PUBLISHED
        and proposal.collection_deadline
        and proposal.collection_deadline <= now
    ):
        return ProposalState.EXPIRED
    return proposal.state


def is_overdue(proposal: Proposal, today=None) -> bool:
    today = today or timezone.localdate()
    return (
        proposal.first_answered_at is None
        and proposal.response_due is not None
        and proposal.state in lifecycle.OPEN_FOR_ANSWER
        and today > proposal.response_due
    )


def search(queryset: QuerySet[Proposal], query: str) -> QuerySet[Proposal]:
    """Filter by a search query (Chinese-aware; see proposals/search.py)."""
    needed = query_tokens(query)
    if not needed:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        return queryset.alias(_sv=SearchVector("search_tokens", config="simple")).filter(
            _sv=SearchQuery(tsquery(query), config="simple", search_type="raw")
        )
    condition = Q()
    for token in needed:
        condition &= (
            Q(search_tokens__contains=f" {token} ")
            | Q(search_tokens__startswith=f"{token} ")
            | Q(search_tokens__endswith=f" {token}")
            | Q(search_tokens=token)
        )
    return queryset.filter(condition)


SORTS = {
    "newest": ["-published_at", "-id"],
    "endorsed": ["-endorsement_count", "-published_at", "-id"],
    "closest": ["_missing", "collection_deadline", "-id"],
    "deadline": ["collection_deadline", "-id"],
}


def proposal_list(
    *,
    area: Area | None = None,
    category=None,
    state: str | None = None,
    actor_kind: str | None = None,
    query: str = "",
    sort: str = "newest",
    viewer=None,
) -> QuerySet[Proposal]:
    queryset = Proposal.objects.filter(is_hidden=False).exclude(state=ProposalState.DRAFT)
    if area is not None:
        queryset = queryset.filter(area_path__startswith=area.path)
    if category is not None:
        queryset = queryset.filter(category=category)
    if state == "collecting":
        queryset = queryset.filter(state=ProposalState.PUBLISHED, collection_deadline__gt=timezone.now())
    elif state == ProposalState.EXPIRED:
        queryset = queryset.filter(
            Q(state=ProposalState.EXPIRED) | Q(state=ProposalState.PUBLISHED, collection_deadline__lte=timezone.now())
        )
    elif state:
        queryset = queryset.filter(state=state)
    if actor_kind:
        queryset = queryset.filter(actor_kind=actor_kind)
    queryset = search(queryset, query)
    if sort in ("closest", "deadline"):
        queryset = queryset.filter(state=ProposalState.PUBLISHED, collection_deadline__gt=timezone.now())
    if sort == "closest":
        queryset = queryset.annotate(_missing=F("threshold") - F("endorsement_count"))
    return queryset.select_related("area", "category", "organisation", "author").order_by(
        *SORTS.get(sort, SORTS["newest"])
    )


# What a card in a list shows (proposals/_card.html) and what its state badge is judged from: a page of the
# list reads these columns only, never the text, its HTML or its search tokens.
CARD_FIELDS = (
    "id",
    "title",
    "state",
    "threshold",
    "endorsement_count",
    "comment_count",
    "published_at",
    "collection_deadline",
    "response_due",
    "first_answered_at",
    "area__name",
    "area__code",
    "category__name",
    "category__name_en",
    "organisation__name",
)


def next_deadline(now=None):
    """The next co-signing deadline to pass, if any: until then no proposal leaves "collecting" by the clock."""
    return (
        Proposal.objects.filter(state=ProposalState.PUBLISHED, collection_deadline__gt=now or timezone.now())
        .order_by("collection_deadline")
        .values_list("collection_deadline", flat=True)
        .first()
    )


def proposal_count(
    *,
    area: Area | None = None,
    category=None,
    state: str | None = None,
    actor_kind: str | None = None,
    query: str = "",
    sort: str = "newest",
    viewer=None,
) -> int:
    """The exact number of proposals in the list with these filters, without counting them on every read:
    counted once per version of the list's set (`proposal-set:CODE`, bumped by every write of a proposal's
    row, not by co-signatures or comments) and kept per filter. A filter that depends on the clock
    (collecting, expired, and the orders that keep only collecting proposals) holds until the next
    co-signing deadline. A search is counted by its index on each read (searches are many and rarely the
    same: keeping each would write on every read)."""
    from .pages import set_scopes

    counted = proposal_list(
        area=area, category=category, state=state, actor_kind=actor_kind, query=query, sort=sort
    ).order_by()
    if query_tokens(query):
        return counted.count()
    by_clock = state in ("collecting", ProposalState.EXPIRED) or sort in ("closest", "deadline")
    keys = (
        area.code if area is not None else None,
        getattr(category, "pk", category),
        state or None,
        actor_kind or None,
        "collecting" if sort in ("closest", "deadline") else None,
    )
    return kept_count("proposals", set_scopes(area), keys, counted, valid_until=next_deadline if by_clock else None)


def proposal_page(*, area: Area | None = None, number=None, per_page: int = 20, **filters):
    """One page of the list, with only the columns a card shows; the count is of the whole filtered list (a
    kept count, see `proposal_count`), and a deep page reads its ids first (civic.pagination)."""
    queryset = (
        proposal_list(area=area, **filters).select_related(None).select_related("area", "category", "organisation")
    )
    return ListPaginator(
        queryset.only(*CARD_FIELDS), per_page, count=lambda: proposal_count(area=area, **filters)
    ).get_page(number)


def shown_states_valid_until(now=None):
    """Until when every list's state badges and filters hold without a write: the next co-signing
    deadline to pass (a collecting proposal becomes expired) or the next local midnight (answers become
    overdue), whichever comes first."""
    now = now or timezone.now()
    deadline = next_deadline(now)
    local = timezone.localtime(now)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return min(deadline, midnight) if deadline else midnight


def state_valid_until(proposal: Proposal, now=None):
    """Until when a proposal's shown state and lateness hold without a write (see shown_states_valid_until)."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    deadline = proposal.collection_deadline
    if proposal.state == ProposalState.PUBLISHED and deadline and deadline > now:
        return min(deadline, midnight)
    return midnight


def comments_still_editable(proposal: Proposal, user) -> list[Comment]:
    """`user`'s comments on `proposal` that they may still edit (within PROPOSAL_COMMENT_EDIT_MINUTES)."""
    from .predicates import authors_may

    since = timezone.now() - timedelta(minutes=settings.PROPOSAL_COMMENT_EDIT_MINUTES)
    mine = Comment.objects.filter(proposal=proposal, author=user, is_hidden=False, created_at__gte=since)
    return [c for c in mine if authors_may(user, "proposals.edit_comment", c)]


def _matching_any(queryset: QuerySet[Proposal], needed: list[str]) -> QuerySet[Proposal]:
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        raw = " | ".join(f"'{t}'" for t in needed if "'" not in t)
        return queryset.alias(_sv=SearchVector("search_tokens", config="simple")).filter(
            _sv=SearchQuery(raw, config="simple", search_type="raw")
        )
    condition = Q()
    for token in needed:
        condition |= Q(search_tokens__contains=f" {token} ") | Q(search_tokens__startswith=f"{token} ")
    return queryset.filter(condition)


def _likeness(wanted: set[str], title: str) -> float:
    """How much of a title's wording another title shares: pairs of characters (words, in Chinese)
    count double, single characters once."""
    other = set(tokens(title))
    weight = lambda ts: sum(2 if len(t) == 2 and not t.isascii() else 1 for t in ts)  # noqa: E731
    return weight(wanted & other) / weight(wanted)


def similar_proposals(*, title: str, area: Area | None, exclude_pk=None, limit: int = 5) -> list[Proposal]:
    """Proposals in the same area (or above or below it) whose titles look like `title`, best first; one query."""
    wanted = set(tokens(title))
    if not wanted:
        return []
    queryset = Proposal.objects.filter(is_hidden=False).exclude(
        state__in=[ProposalState.DRAFT, ProposalState.WITHDRAWN]
    )
    if area is not None:
        codes = area.path.strip("/").split("/")
        queryset = queryset.filter(Q(area_path__startswith=area.path) | Q(area__code__in=codes))
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    candidates = (
        _matching_any(queryset, sorted(wanted))
        .select_related("area", "category", "organisation")
        .order_by("-published_at")[:200]
    )
    scored = [(_likeness(wanted, p.title), p.pk, p) for p in candidates]
    scored = sorted((item for item in scored if item[0] >= 0.35), key=lambda item: (-item[0], -item[1]))
    return [proposal for _score, _pk, proposal in scored[:limit]]


def stance_counts(proposal: Proposal) -> dict[str, int]:
    counts = dict(
        Comment.objects.filter(proposal=proposal, is_hidden=False)
        .values_list("stance")
        .annotate(n=Count("id"))
        .values_list("stance", "n")
    )
    return {"for": counts.get("for", 0), "against": counts.get("against", 0), "neutral": counts.get("neutral", 0)}


def comment_threads(proposal: Proposal) -> list[Comment]:
    """Top-level comments, each with `.thread` (its visible replies), in two queries."""
    comments = list(Comment.objects.filter(proposal=proposal, is_hidden=False).select_related("author", "organisation"))
    top = [c for c in comments if c.parent_id is None]
    by_parent: dict[int, list[Comment]] = {}
    for c in comments:
        if c.parent_id:
            by_parent.setdefault(c.parent_id, []).append(c)
    for c in top:
        c.thread = by_parent.get(c.pk, [])
    return top


def endorsers(proposal: Proposal, limit: int = 200):
    return Endorsement.objects.filter(proposal=proposal).select_related("user").order_by("created_at")[:limit]


def cosponsors(proposal: Proposal):
    return CoSponsor.objects.filter(proposal=proposal).select_related("user", "organisation").order_by("created_at")


def answers(proposal: Proposal):
    return OfficialAnswer.objects.filter(proposal=proposal).select_related("official").order_by("created_at")


def may_see(proposal: Proposal, user) -> bool:
    """Drafts and hidden proposals are seen only by their author (pages and API alike)."""
    if proposal.state == ProposalState.DRAFT or proposal.is_hidden:
        return getattr(user, "pk", None) is not None and proposal.author_id == user.pk
    return True


def comment_edit_open(comment: Comment, now=None) -> bool:
    """A comment can be edited for PROPOSAL_COMMENT_EDIT_MINUTES after it was written."""
    deadline = comment.created_at + timedelta(minutes=settings.PROPOSAL_COMMENT_EDIT_MINUTES)
    return (now or timezone.now()) <= deadline


def accepts_cosponsors(state: str) -> bool:
    """Co-sponsors can join a draft and a proposal not yet decided."""
    return state == ProposalState.DRAFT or state in lifecycle.OPEN_FOR_ANSWER


def viewer_facts(proposal: Proposal, user) -> dict:
    if not user.is_authenticated:
        return {"endorsed": False, "following": False}
    return {
        "endorsed": Endorsement.objects.filter(proposal=proposal, user=user).exists(),
        "following": Follow.objects.filter(proposal=proposal, user=user).exists(),
    }


def _reader_sql() -> str:
    from civic.models import Area, Membership, Organisation, ResidencyVerification

    return (
        f"SELECT 'endorsed', '', id FROM {Endorsement._meta.db_table} WHERE proposal_id = %s AND user_id = %s "
        f"UNION ALL SELECT 'following', '', id FROM {Follow._meta.db_table} WHERE proposal_id = %s AND user_id = %s "
        f"UNION ALL SELECT 'editable', '', id FROM {Comment._meta.db_table} "
        f"WHERE proposal_id = %s AND author_id = %s AND NOT is_hidden AND created_at >= %s "
        f"UNION ALL SELECT 'verified', a.path, v.id FROM {ResidencyVerification._meta.db_table} v "
        f"JOIN {Area._meta.db_table} a ON a.id = v.cell_id "
        f"WHERE v.user_id = %s AND v.status = %s AND v.expires_at > %s "
        f"UNION ALL SELECT 'represents', '', m.id FROM {Membership._meta.db_table} m "
        f"JOIN {Organisation._meta.db_table} o ON o.id = m.organisation_id "
        f"WHERE m.user_id = %s AND m.role = %s AND o.confirmed_at IS NOT NULL AND NOT o.is_hidden"
    )


_READER_SQL: list[str] = []


def reader_query(proposal_pk, me: int) -> tuple[str, list] | None:
    """The query of `reader_facts` for the reader whose pk is `me` (sql, params): rows (tag, text, number).
    None if `proposal_pk` cannot be a key (no page to read facts for)."""
    from civic.models import MembershipRole, VerificationStatus
    from civic.rows import key

    if (proposal := key(proposal_pk)) is None:
        return None
    if not _READER_SQL:
        _READER_SQL.append(_reader_sql())
    now = timezone.now()
    since = now - timedelta(minutes=settings.PROPOSAL_COMMENT_EDIT_MINUTES)
    adapt = connection.ops.adapt_datetimefield_value
    return _READER_SQL[0], [
        *(proposal, me, proposal, me, proposal, me, adapt(since)),
        *(me, VerificationStatus.APPROVED.value, adapt(now), me, MembershipRole.REPRESENTATIVE.value),
    ]


def reader_facts(proposal_pk: int, user, rows: list[tuple] | None = None) -> dict:
    """What one signed-in reader sees of a proposal's page that others do not, in one query (the page's
    `{% reader %}` marks ask for these; it is asked on every signed-in reading, so it is plain SQL): whether
    they co-signed and follow it, which of their comments they may still edit, where they are a verified
    resident, whether they speak for an organisation (the co-sponsor form then offers it). The same rules as
    `viewer_facts`, `comments_still_editable`, `civic.selectors.effective_verification` and
    `organisations_represented` (a test holds them equal). `rows`: `reader_query`'s rows, already read
    with the page's own query (pagecache.Part's `reader_rows`)."""
    found: dict[str, list[str]] = {}
    for tag, text, pk in pagecache.reader_rows(rows, lambda: reader_query(proposal_pk, user.pk)):
        found.setdefault(tag, []).append(text if tag == "verified" else str(pk))
    cell = found["verified"][0] if "verified" in found else None  # one approved at a time (a constraint)
    return {
        "endorsed": "endorsed" in found,
        "following": "following" in found,
        "editable": set(found.get("editable", ())),
        "eligible_in": lambda path: cell is not None and cell.startswith(path),
        "represents": "represents" in found,
    }


def waiting_for_answer(user) -> QuerySet[Proposal]:
    """Unanswered proposals (overdue or not) in the areas where `user` is an official."""
    from civic.selectors import covered_by

    queryset = Proposal.objects.filter(
        is_hidden=False, first_answered_at__isnull=True, state__in=lifecycle.OPEN_FOR_ANSWER
    )
    if not user.is_superuser:
        condition = covered_by(user, {"official"}, "area_path")
        if condition is None:
            return queryset.none()
        queryset = queryset.filter(condition)
    return queryset.select_related("area", "category", "organisation").order_by("response_due", "id")


def adopted_without_project():
    """Adopted proposals (the funding stage picks from these)."""
    return Proposal.objects.filter(state=ProposalState.ADOPTED, is_hidden=False).select_related("area", "category")


def answer_decisions(path: str, pk=None, unpublished=True):
    """Official answers to proposals of the area at `path` and below, as decisions to publish as notices
    (see civic.registry.NoticeKind)."""
    rows = OfficialAnswer.objects.filter(proposal__area_path__startswith=path).select_related("proposal")
    rows = decision_rows(rows, "answer", pk=pk, unpublished=unpublished)
    for answer in rows.order_by():
        proposal = answer.proposal
        yield Decision(
            kind="answer",
            source_key=f"answer:{answer.pk}",
            title=Truncator(
                _("Answer to “%(title)s”: %(answer)s")
                % {"title": proposal.title, "answer": answer.get_status_display()}
            ).chars(120),
            summary=answer.reason,
            decided_at=answer.created_at,
            area_path=proposal.area_path,
            source_url=proposal.get_absolute_url(),
        )


def answer_waiting(path: str):
    """(area path, decided at) of each answer `answer_decisions(path)` yields: one query of two columns."""
    rows = decision_rows(OfficialAnswer.objects.filter(proposal__area_path__startswith=path), "answer")
    return rows.order_by().values_list("proposal__area_path", "created_at")


# --- from small matters to proposals ----------------------------------------------------------------------------


def report_suggestions(area: Area):
    """The categories recurring in the grid cells under `area` (CASEWORK_RECURRING_REPORTS reports within
    CASEWORK_RECURRING_DAYS days, merged, withdrawn and rejected ones left out) whose reports have not grown
    into a proposal yet, the most reports first (two queries)."""
    from casework import rates
    from casework.models import Report

    since = timezone.now() - timedelta(days=settings.CASEWORK_RECURRING_DAYS)
    reports = Report.objects.filter(area_path__startswith=area.path, grew_into__isnull=True)
    return rates.recurring(reports, since, settings.CASEWORK_RECURRING_REPORTS)
