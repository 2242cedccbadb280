"""Organisations: the public register, representatives, requests and invitations."""

from django.db.models import Count, Q, QuerySet, prefetch_related_objects

from ..models import (
    Area,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationRequest,
    OrganisationRequestStatus,
)


def organisation_list(*, kind: str | None = None, area: Area | None = None, include_unconfirmed: bool = False):
    queryset = Organisation.objects.filter(is_hidden=False).annotate(member_count=Count("memberships", distinct=True))
    if not include_unconfirmed:
        queryset = queryset.filter(confirmed_at__isnull=False)
    if kind:
        queryset = queryset.filter(kind=kind)
    if area is not None:
        # serving this area, an area under it, or an area above it (e.g. a city-wide NGO)
        queryset = queryset.filter(
            Q(areas__path__startswith=area.path) | Q(areas__code__in=area.path.strip("/").split("/"))
        ).distinct()
    return queryset.prefetch_related("areas").order_by("name")


def organisation_cards(*, kind: str | None = None, area: Area | None = None, number=None, per_page: int = 20):
    """One page of the public register, by name: the card's columns, the areas each serves and its number
    of members (counted for the page's organisations only), in three queries whatever the register's size."""
    from django.db.models import Prefetch

    from ..paging import bounded_page

    queryset = Organisation.objects.filter(is_hidden=False, confirmed_at__isnull=False).only("id", "name", "kind")
    if kind:
        queryset = queryset.filter(kind=kind)
    if area is not None:
        queryset = queryset.filter(
            Q(areas__path__startswith=area.path) | Q(areas__code__in=area.path.strip("/").split("/"))
        ).distinct()
    page = bounded_page(queryset.order_by("name", "id"), number, per_page)
    prefetch_related_objects(page.object_list, Prefetch("areas", queryset=Area.objects.only("id", "name")))
    counts = dict(
        Membership.objects.filter(organisation__in=[o.pk for o in page.object_list])
        .values("organisation")
        .annotate(n=Count("id"))
        .values_list("organisation", "n")
        .order_by()
    )
    for organisation in page.object_list:
        organisation.member_count = counts.get(organisation.pk, 0)
    return page


def organisation_representatives(organisation) -> QuerySet[Membership]:
    return organisation.memberships.filter(role=MembershipRole.REPRESENTATIVE).select_related("user")


def organisations_represented(user) -> QuerySet[Organisation]:
    """Organisations the person may act for: they represent it and it is confirmed."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user,
        memberships__role=MembershipRole.REPRESENTATIVE,
        confirmed_at__isnull=False,
        is_hidden=False,
    )


def pending_requests_for_organisation(organisation) -> QuerySet[OrganisationRequest]:
    return organisation.requests.filter(status=OrganisationRequestStatus.PENDING).select_related("user", "created_by")


def pending_invitations(user) -> QuerySet[OrganisationRequest]:
    return OrganisationRequest.objects.filter(
        user=user, kind="invitation", status=OrganisationRequestStatus.PENDING
    ).select_related("user", "organisation", "created_by")
