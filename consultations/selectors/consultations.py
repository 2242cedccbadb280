"""Reads of consultations: lists per area and person, the text with its opinion counts, the opinions a
person may read (paged, with a constant number of queries), the answering progress."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civic.errors import NotFound
from civic.models import Area, AreaRoleKind
from civic.pagination import ListPaginator
from civic.rows import prepared_cursor
from civic.selectors import areas_for_roles
from civic.services import holds_perm

from ..models import (
    AreaSubscription,
    Classification,
    Consultation,
    ConsultationState,
    Follow,
    Opinion,
    OpinionGroup,
    OpinionSupport,
    Participation,
    Question,
    QuestionAnswer,
    Source,
    Symposium,
    TextUnit,
    TextVersion,
    UnitKind,
    VersionKind,
)
from ..textimport import chinese_numeral

S = ConsultationState
OPINIONS_PER_PAGE = 50


def consultation_list(*, area: Area | None = None, state: str | None = None) -> QuerySet[Consultation]:
    """Published consultations, newest first; in `area` and below, in one `state` when given."""
    queryset = Consultation.objects.exclude(state=S.DRAFT).select_related("area")  # PUBLIC_STATES
    if area is not None:
        queryset = queryset.filter(area_path__startswith=area.path)
    if state:
        queryset = queryset.filter(state=state)
    return queryset.order_by("-opens_at", "-id")


CARD_FIELDS = ("pk", "title", "kind", "state", "opens_at", "closes_at", "opinion_count", "area__name")


def consultation_cards(*, area: Area | None = None, state: str | None = None) -> QuerySet[Consultation]:
    """The list's rows with only what a card shows (the public list's index, `cons_public_opens`)."""
    return consultation_list(area=area, state=state).only(*CARD_FIELDS)


def consultations_managed(user) -> QuerySet[Consultation]:
    """Every consultation `user` drafts (as an official of its area or named), drafts included."""
    if not getattr(user, "is_authenticated", False):
        return Consultation.objects.none()
    areas = areas_for_roles(user, {AreaRoleKind.OFFICIAL})
    condition = Q(drafters=user)
    if user.is_superuser:
        condition = Q()
    else:
        condition |= Q(area__in=areas.values("pk"))
    return Consultation.objects.filter(condition).select_related("area").distinct().order_by("-created_at", "-id")


def consultation_for(user, pk) -> Consultation:
    """The consultation `user` may see, or NotFound (a draft is seen by its drafters only)."""
    consultation = Consultation.objects.select_related("area", "created_by").filter(pk=pk).first()
    if consultation is None or not holds_perm(user, "consultations.view", consultation):
        raise NotFound("not_found", _("This consultation does not exist."))
    return consultation


def version_of(consultation: Consultation, kind: str = VersionKind.DRAFT) -> TextVersion | None:
    return TextVersion.objects.filter(consultation=consultation, kind=kind).first()


def units(version: TextVersion | None, *, counted_for=None) -> list[TextUnit]:
    """The units of a version in order (one query); with `counted_for` (a person), each carries
    `opinion_total`: the opinions on it that person may read."""
    if version is None:
        return []
    found = list(TextUnit.objects.filter(version=version).order_by("position"))
    if counted_for is not None:
        counts = dict(
            visible_opinions(counted_for, version.consultation)
            .filter(unit__isnull=False)
            .order_by()
            .values("unit")
            .annotate(n=Count("pk"))
            .values_list("unit", "n")
        )
        for unit in found:
            vars(unit)["opinion_total"] = counts.get(unit.pk, 0)
    return found


def unit_tree(unit_list: list[TextUnit]) -> list[TextUnit]:
    """The same units with `.kids` (the children in order) and `.depth_shown` set; the roots (no query)."""
    by_id: dict[int | None, TextUnit] = {u.pk: u for u in unit_list}
    kids: dict[int | None, list[TextUnit]] = {u.pk: [] for u in unit_list}
    depth: dict[int | None, int] = {}
    roots: list[TextUnit] = []
    for u in unit_list:  # in document order: a parent comes before its children
        parent = by_id.get(u.parent_id)
        depth[u.pk] = depth[parent.pk] + 1 if parent else 0
        # the text shows a "comment" link on the units people usually comment on (any unit can be chosen)
        link = u.kind in (UnitKind.ARTICLE, UnitKind.HEADING) or (
            u.kind == UnitKind.PARAGRAPH and (parent is None or parent.kind != UnitKind.ARTICLE)
        )
        vars(u).update(kids=kids[u.pk], depth_shown=depth[u.pk], shows_comment_link=link)
        (kids[parent.pk] if parent else roots).append(u)
    return roots


def unit_labels(unit_list: list[TextUnit]) -> dict[int, str]:
    """How each unit is cited, as Chinese law cites it: 第四条, 第四条第一款, 第三条第一款第（二）项, …; the
    parts of a plan by their heading (no query)."""
    by_id: dict[int | None, TextUnit] = {u.pk: u for u in unit_list}
    paragraphs_seen: dict[int | None, int] = {}
    labels: dict[int, str] = {}
    for u in unit_list:  # parents come first
        parent = by_id.get(u.parent_id)
        above = labels.get(parent.pk, "") if parent else ""
        if u.kind in (UnitKind.CHAPTER, UnitKind.SECTION, UnitKind.ARTICLE):
            labels[u.pk] = u.number or u.text[:16]
        elif u.kind == UnitKind.HEADING:
            labels[u.pk] = u.text[:16]
        elif u.kind == UnitKind.PARAGRAPH:
            paragraphs_seen[u.parent_id] = paragraphs_seen.get(u.parent_id, 0) + 1
            n = paragraphs_seen[u.parent_id]
            if parent is not None and parent.kind == UnitKind.ARTICLE:
                labels[u.pk] = _("%(article)s, paragraph %(n)s") % {"article": above, "n": _numeral(n)}
            else:
                labels[u.pk] = _("%(part)s, paragraph %(n)s") % {"part": above or _("preamble"), "n": n}
        elif u.kind == UnitKind.ITEM:
            labels[u.pk] = _("%(parent)s, item %(item)s") % {"parent": above, "item": u.number or u.text[:8]}
        else:
            labels[u.pk] = _("%(parent)s, sub-item %(item)s") % {
                "parent": above,
                "item": u.number.rstrip(".、") or u.text[:8],
            }
    return labels


def _numeral(n: int) -> str:
    """一, 二, … on Chinese pages (第一款), 1, 2, … on others."""
    return chinese_numeral(n) if (get_language() or "").startswith("zh") else str(n)


def with_unit_labels(opinion_list, consultation: Consultation) -> list:
    """The opinions with `unit_label` set (one query for the units of the draft, whatever their number)."""
    opinion_list = list(opinion_list)
    if any(o.unit_id for o in opinion_list):
        labels = unit_labels(units(version_of(consultation)))
        for o in opinion_list:
            o.unit_label = labels.get(o.unit_id, "") if o.unit_id else ""
    return opinion_list


def unit_full_text(unit: TextUnit, unit_list: list[TextUnit]) -> str:
    """The text of a unit with everything inside it (the draft a proposed wording is compared with)."""
    children: dict[int | None, list[TextUnit]] = {}
    for u in unit_list:
        children.setdefault(u.parent_id, []).append(u)

    def text(u: TextUnit) -> str:
        parts = [u.text] if u.text else []
        parts += [text(child) for child in children.get(u.pk, [])]
        return "\n".join(p for p in parts if p)

    return text(unit)


def sees_all_opinions(user, consultation) -> bool:
    return holds_perm(user, "consultations.read_opinions", consultation)


def is_drafter(user, consultation) -> bool:
    return holds_perm(user, "consultations.manage", consultation)


def visible_opinions(user, consultation: Consultation) -> QuerySet[Opinion]:
    """The opinions `user` may read: all of them for the drafters (hidden ones too, they are answered as
    well); the public ones where the consultation shows them; always the person's own."""
    queryset = Opinion.objects.filter(consultation=consultation)
    if is_drafter(user, consultation):
        return queryset
    own = Q(author=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    if sees_all_opinions(user, consultation):
        return queryset.filter(Q(is_hidden=False) | own)
    return queryset.filter(own)


def opinions(
    user,
    consultation: Consultation,
    *,
    unit: TextUnit | None = None,
    whole: bool = False,
    source: str = "",
    answered: bool | None = None,
    classification: str = "",
    group: OpinionGroup | None = None,
    order: str = "time",
) -> QuerySet[Opinion]:
    """The opinions `user` may read, filtered, with what a list shows (no query per row): the author,
    organisation, unit, symposium, group and whether `user` supports it (`supported`)."""
    queryset = visible_opinions(user, consultation).select_related(
        "author", "organisation", "unit", "symposium", "group", "entered_by", "answered_by"
    )
    queryset = _filtered(queryset, unit, whole, source, answered, classification, group, order)
    if getattr(user, "is_authenticated", False):
        queryset = queryset.annotate(supported=Exists(OpinionSupport.objects.filter(opinion=OuterRef("pk"), user=user)))
    return queryset


def _filtered(queryset, unit, whole, source, answered, classification, group, order) -> QuerySet[Opinion]:
    if unit is not None:
        queryset = queryset.filter(unit=unit)
    elif whole:
        queryset = queryset.filter(unit__isnull=True)
    if source in Source.values:
        queryset = queryset.filter(source=source)
    if answered is not None:
        queryset = queryset.filter(answered_at__isnull=not answered)
    if classification in Classification.values:
        queryset = queryset.filter(classification=classification)
    if group is not None:
        queryset = queryset.filter(group=group)
    ordering = {
        "time": ("created_at", "id"),
        "newest": ("-created_at", "-id"),
        "support": ("-support_count", "created_at", "id"),
        "unit": ("unit__position", "created_at", "id"),
    }.get(order, ("created_at", "id"))
    return queryset.order_by(*ordering)


# What an opinion's line in a list shows (templates/consultations/_opinion.html), nothing more.
OPINION_LINE_FIELDS = (
    "pk",
    "consultation_id",
    "unit_id",
    "author_id",
    "organisation_id",
    "as_resident",
    "text",
    "wording",
    "source",
    "submitter",
    "created_at",
    "is_hidden",
    "support_count",
    "classification",
    "reason",
    "answered_at",
    "author__display_name",
    "organisation__name",
    "unit__anchor",
)


def opinions_in_view(
    consultation: Consultation,
    view: str,
    *,
    unit: TextUnit | None = None,
    whole: bool = False,
    source: str = "",
    answered: bool | None = None,
    classification: str = "",
    group: OpinionGroup | None = None,
    order: str = "time",
) -> QuerySet[Opinion]:
    """The opinions of one kept view (`pages.PUBLIC`: what everyone may read; `pages.ALL`: the drafters'),
    filtered, with only the columns a list line shows. The public lines come from the partial indexes on
    the opinions that are not hidden (`cons_op_public_*`)."""
    from ..pages import ALL
    from ..predicates import opinions_readable

    queryset = Opinion.objects.filter(consultation=consultation)
    if view != ALL:
        queryset = queryset.filter(is_hidden=False) if opinions_readable(None, consultation) else queryset.none()
    queryset = queryset.select_related("author", "organisation", "unit").only(*OPINION_LINE_FIELDS)
    return _filtered(queryset, unit, whole, source, answered, classification, group, order)


def unit_counts(consultation: Consultation, view: str) -> dict[int, int]:
    """The opinions of a view on each unit, in one grouped query (run once per version of the page: the
    text with its counts is a kept part)."""
    return dict(
        opinions_in_view(consultation, view)
        .filter(unit__isnull=False)
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values_list("unit", "n")
    )


def page_of(queryset: QuerySet, number, per_page: int = OPINIONS_PER_PAGE) -> Page:
    """One page of a list: two queries (the count and the rows), whatever the list's length."""
    return Paginator(queryset, per_page).get_page(number)


def opinion_page(queryset: QuerySet[Opinion], number, per_page: int = OPINIONS_PER_PAGE) -> Page:
    """One page of opinions in two queries whatever the list's length: the count and the page's rows, a deep
    page's ids picked first by a walk of the list's index (`civic.pagination.ListPaginator`, as every list of
    the API)."""
    return ListPaginator(queryset, per_page).get_page(number)


def opinion_for(user, consultation: Consultation, pk) -> Opinion:
    opinion = (
        Opinion.objects.select_related("author", "organisation", "unit", "symposium", "group", "consultation__area")
        .filter(consultation=consultation, pk=pk)
        .first()
    )
    if opinion is None or not holds_perm(user, "consultations.view_opinion", opinion):
        raise NotFound("not_found", _("This opinion does not exist."))
    return opinion


def author_label(opinion: Opinion) -> str:
    """The name an opinion is shown with: the organisation's, "居民" where the author chose it, the author's
    display name, or for an opinion entered by staff its source (and the name given, if any)."""
    if opinion.organisation is not None:
        return opinion.organisation.name
    if opinion.source != Source.ONLINE:
        label = str(Source(opinion.source).label)
        return f"{label} · {opinion.submitter}" if opinion.submitter else label
    if opinion.as_resident or opinion.author is None:
        return _("Resident")
    return opinion.author.public_name


def answer_progress(consultation: Consultation) -> dict:
    """The counts of the answering, in one query: total, answered, and per classification."""
    row = Opinion.objects.filter(consultation=consultation).aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        **{c: Count("pk", filter=Q(classification=c)) for c in Classification.values},
    )
    row["unanswered"] = row["total"] - row["answered"]
    row["by_classification"] = [(c, Classification(c).label, row[c]) for c in Classification.values]
    return row


def groups(consultation: Consultation) -> list[OpinionGroup]:
    return list(
        OpinionGroup.objects.filter(consultation=consultation)
        .annotate(size=Count("opinions"))
        .select_related("answered_by")
        .order_by("created_at", "id")
    )


def symposiums(consultation: Consultation) -> list[Symposium]:
    return list(
        Symposium.objects.filter(consultation=consultation).annotate(size=Count("opinions")).order_by("held_on", "id")
    )


def questions(consultation: Consultation, user=None) -> list[Question]:
    """The questions with their options (two queries) and, for a person, `answered` on each."""
    found = list(
        Question.objects.filter(consultation=consultation).prefetch_related("options").order_by("position", "id")
    )
    if found and getattr(user, "is_authenticated", False):
        done = set(
            Question.objects.filter(consultation=consultation, answers__respondent=user).values_list("pk", flat=True)
        )
        for question in found:
            vars(question)["answered"] = question.pk in done
    return found


def question_results(question: Question) -> list[tuple[str, int]]:
    return list(question.options.annotate(n=Count("answers")).values_list("text", "n").order_by("position"))


def follows(user, consultation: Consultation) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and Follow.objects.filter(consultation=consultation, user=user).exists()
    )


def subscribed_areas(user) -> QuerySet[Area]:
    if not getattr(user, "is_authenticated", False):
        return Area.objects.none()
    return Area.objects.filter(pk__in=AreaSubscription.objects.filter(user=user).values("area")).order_by("path")


def _reader_sql() -> str:
    from civic.models import Area, AreaRole, Membership, Organisation, ResidencyVerification

    drafters = Consultation.drafters.through._meta.db_table
    return (
        f"SELECT 'c', c.area_path || '|' || c.participation || '|' || c.state || '|' "
        f"|| CASE WHEN c.organisations_take_part THEN 't' ELSE 'f' END "
        f"|| CASE WHEN c.opinions_public THEN 't' ELSE 'f' END, c.id FROM {Consultation._meta.db_table} c "
        f"WHERE c.id = %s "
        f"UNION ALL SELECT 'drafter', '', d.id FROM {drafters} d WHERE d.consultation_id = %s AND d.user_id = %s "
        f"UNION ALL SELECT 'role:' || r.role, a.path, r.id FROM {AreaRole._meta.db_table} r "
        f"JOIN {Area._meta.db_table} a ON a.id = r.area_id WHERE r.user_id = %s "
        f"UNION ALL SELECT 'verified', a.path, v.id FROM {ResidencyVerification._meta.db_table} v "
        f"JOIN {Area._meta.db_table} a ON a.id = v.cell_id "
        f"WHERE v.user_id = %s AND v.status = %s AND v.expires_at > %s "
        f"UNION ALL SELECT 'represents', '', m.id FROM {Membership._meta.db_table} m "
        f"JOIN {Organisation._meta.db_table} o ON o.id = m.organisation_id "
        f"WHERE m.user_id = %s AND m.role = %s AND o.confirmed_at IS NOT NULL AND NOT o.is_hidden "
        f"UNION ALL SELECT 'following', '', f.id FROM {Follow._meta.db_table} f "
        f"WHERE f.consultation_id = %s AND f.user_id = %s "
        f"UNION ALL SELECT 'answered', '', q.id FROM {Question._meta.db_table} q "
        f"JOIN {QuestionAnswer._meta.db_table} qa ON qa.question_id = q.id "
        f"WHERE q.consultation_id = %s AND qa.respondent_id = %s "
        f"UNION ALL SELECT CASE WHEN o.is_hidden THEN 'own-hidden' ELSE 'own' END, '', o.id "
        f"FROM {Opinion._meta.db_table} o WHERE o.consultation_id = %s AND o.author_id = %s "
        f"UNION ALL SELECT 'supported', '', s.opinion_id FROM {OpinionSupport._meta.db_table} s "
        f"JOIN {Opinion._meta.db_table} o ON o.id = s.opinion_id WHERE o.consultation_id = %s AND s.user_id = %s"
    )


_READER_SQL: list[str] = []


def reader_facts(consultation_pk: int, user) -> dict:
    """What one signed-in reader sees of a consultation's pages that others do not, in one plain query (the
    pages' `{% reader %}` marks ask for these on every signed-in reading): whether they may give an opinion
    and answer the questions (`may_comment`: the participation rule, leaving out organisations), which
    questions they answered, whether they follow it, which opinions they agree with; and what makes their
    page their own (`own_page`): they draft it (named, or an official of its area or above), enter opinions
    that came in offline (an organiser of its area or above), speak for an organisation where organisations
    take part, or have an opinion of their own the public does not read (hidden, or kept to the drafters).
    The same rules as `is_drafter`, `holds_perm(..., "consultations.enter_offline")`, `pages.view_of`,
    `questions`, `follows` and `holds_perm(..., "consultations.comment")` (a test holds them equal)."""
    from civic.models import AreaRoleKind, MembershipRole, VerificationStatus

    if not _READER_SQL:
        _READER_SQL.append(_reader_sql())
    me, pk = user.pk, consultation_pk
    adapt = connection.ops.adapt_datetimefield_value
    found: dict[str, list[tuple[str, int]]] = {}
    with prepared_cursor() as cursor:
        cursor.execute(
            _READER_SQL[0],
            [
                *(pk, pk, me, me, me, VerificationStatus.APPROVED.value, adapt(timezone.now())),
                *(me, MembershipRole.REPRESENTATIVE.value, pk, me, pk, me, pk, me, pk, me),
            ],
        )
        for tag, text, row_pk in cursor.fetchall():
            found.setdefault(tag, []).append((text, row_pk))
    if "c" not in found:
        return {"own_page": True, "may_comment": False}
    path, participation, state, flags = found["c"][0][0].split("|")
    takes_organisations, public = flags[0] == "t", flags[1] == "t"

    def covered(role: str) -> bool:
        return any(path.startswith(area_path) for area_path, _pk in found.get(f"role:{role}", ()))

    published = state != S.DRAFT
    readable = published and (public or state in (S.ANSWERED, S.CONCLUDED))
    cell = found["verified"][0][0] if "verified" in found else None  # one approved at a time (a constraint)
    drafter = bool(user.is_superuser) or "drafter" in found or covered(AreaRoleKind.OFFICIAL)
    represents = "represents" in found
    own_private = "own-hidden" in found or (not readable and "own" in found)
    return {
        "drafter": drafter,
        "enters_offline": drafter or covered(AreaRoleKind.ORGANISER),
        "represents": represents,
        "own_private": own_private,
        "own_page": drafter or covered(AreaRoleKind.ORGANISER) or (represents and takes_organisations) or own_private,
        "may_comment": published
        and user.is_active
        and (participation == Participation.SIGNED_IN or (cell is not None and cell.startswith(path))),
        "following": "following" in found,
        "answered": {str(row_pk) for _text, row_pk in found.get("answered", ())},
        "supported": {str(row_pk) for _text, row_pk in found.get("supported", ())},
    }


def subscription_offer(user, area: Area | None) -> tuple[Area | None, bool]:
    """Which area the consultations list offers `user` to hear of, and whether they already do, in one plain
    query: the area chosen, or else the community of the grid cell that makes them a resident now (what
    `civic.selectors.effective_verification` says; a test holds them equal)."""
    from civic.models import ResidencyVerification, VerificationStatus

    table, areas = ResidencyVerification._meta.db_table, Area._meta.db_table
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 's', s.area_id, '', '' FROM {AreaSubscription._meta.db_table} s WHERE s.user_id = %s "
            f"UNION ALL SELECT 'v', p.id, p.code, p.name FROM {table} v JOIN {areas} c ON c.id = v.cell_id "
            f"JOIN {areas} p ON p.id = c.parent_id WHERE v.user_id = %s AND v.status = %s AND v.expires_at > %s",
            [user.pk, user.pk, VerificationStatus.APPROVED.value, adapt(timezone.now())],
        )
        rows = cursor.fetchall()
    subscribed = {pk for tag, pk, _code, _name in rows if tag == "s"}
    if area is None:
        found = next(((pk, code, name) for tag, pk, code, name in rows if tag == "v"), None)
        area = Area(pk=found[0], code=found[1], name=found[2]) if found else None
    return area, area is not None and area.pk in subscribed


def is_open_now(consultation: Consultation, now=None) -> bool:
    return consultation.window_open(now or timezone.now())


def waiting_for_answers(user) -> QuerySet[Consultation]:
    """Closed consultations the person drafts, with their unanswered opinions counted (for a work list)."""
    return (
        consultations_managed(user)
        .filter(state=S.CLOSED)
        .annotate(unanswered=Count("opinions", filter=Q(opinions__answered_at__isnull=True)))
        .order_by("answer_due", "id")
    )
