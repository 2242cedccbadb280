"""Proposals API: parse, call a service or selector, serialize."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from civic import pagecache
from civic.acting import acting_pair
from civic.api.utils import ACTING_FOR, validated
from civic.errors import InvalidInput, NotAllowed, NotFound
from civic.models import Area, Organisation
from civic.services import require_perm
from civic.validators import as_pk

from .. import pages, selectors, services
from ..models import Category, Comment, ProposalState
from ..predicates import authors_may
from . import serializers as s


def _area(code):
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise NotFound("area_unknown", _("No area has the code %(code)s.") % {"code": code}, field="area")
    return area


def _organisation(pk):
    return Organisation.objects.filter(pk=pk).first() if pk else None


def _visible(request, pk):
    proposal = services.get_proposal(pk)
    if not selectors.may_see(proposal, request.user):
        raise NotFound("not_found", _("Not found."))
    return proposal


def _authors_only(request, perm: str, obj, message: str) -> None:
    """The service's author-only check, asked before the body is read: a stranger gets 403, not field errors."""
    if not authors_may(request.user, perm, obj):
        raise NotAllowed("not_allowed", message)


class CategoryListView(generics.ListAPIView):
    serializer_class = s.CategorySerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None
    queryset = Category.objects.filter(is_active=True)


@extend_schema(
    parameters=[
        OpenApiParameter("area", str, description="Area code: proposals in it and everything under it"),
        OpenApiParameter("category", int),
        OpenApiParameter("state", str, description="collecting, or a state"),
        OpenApiParameter(
            "actor", str, description="resident, enterprise, social, residents_group, committee, government"
        ),
        OpenApiParameter("q", str, description="Search (works with Chinese of any length)"),
        OpenApiParameter("sort", str, enum=list(selectors.SORTS)),
    ]
)
class ProposalListView(generics.ListCreateAPIView):
    """Published proposals, filtered and sorted; create one (a draft, or published at once)."""

    serializer_class = s.ProposalListSerializer

    def get_queryset(self):
        params = self.request.query_params
        sort = params.get("sort", "newest")
        if sort not in selectors.SORTS:
            raise InvalidInput("sort_unknown", _("Unknown order."), field="sort")
        state = params.get("state") or None
        if state and state != "collecting" and state not in ProposalState.values:
            raise InvalidInput("state_unknown", _("Unknown state."), field="state")
        category = None
        if params.get("category"):
            category = (
                Category.objects.filter(pk=as_pk(params["category"])).first() if as_pk(params["category"]) else None
            )
            if category is None:
                raise InvalidInput("category_unknown", _("Unknown category."), field="category")
        self.filters = {
            "area": _area(params["area"]) if params.get("area") else None,
            "category": category,
            "state": state,
            "actor_kind": params.get("actor") or None,
            "query": params.get("q", "")[:60],
            "sort": sort,
        }
        return selectors.proposal_list(**self.filters)

    def list_count(self, queryset) -> int:
        """The exact count of the filtered list, kept between writes of proposals (see civic.api.pagination)."""
        return selectors.proposal_count(**self.filters)

    def list(self, request, *args, **kwargs):
        """A page of the list is the same for everyone: its JSON is kept like a cached page (civic.pagecache)
        per area, filters, page and language, under the scopes of the HTML list (every write a card shows
        bumps them), until a shown state changes with the clock."""
        if request.accepted_renderer.format != "json":
            return super().list(request, *args, **kwargs)
        code = request.query_params.get("area") or ""
        part = pagecache.Part(
            "api-proposal-list",
            [f"proposals:{code}" if code else "proposals:*", *pages.COMMON],
            (request.build_absolute_uri(request.path), sorted(request.query_params.lists())),
            lambda: {"valid_until": selectors.shown_states_valid_until()},
        )

        def build() -> str:
            part.context()  # the moment it holds until, asked before the rows are read
            return JSONRenderer().render(super(ProposalListView, self).list(request, *args, **kwargs).data).decode()

        return HttpResponse(part.render("json", build), content_type="application/json")

    @extend_schema(request=s.ProposalWriteSerializer, responses={201: s.ProposalDetailSerializer})
    def post(self, request):
        data = validated(s.ProposalWriteSerializer, request)
        proposal = services.proposal_create(
            author=request.user,
            title=data["title"],
            body=data["body"],
            category=data["category"],
            area=_area(data["area"]),
            location=data["location"],
            estimated_cost=data.get("estimated_cost"),
            organisation=_organisation(data.get("organisation")),
            channel=data["channel"],
            on_behalf_of=data["on_behalf_of"],
            publish=data["publish"],
        )
        return Response(s.ProposalDetailSerializer(proposal).data, status=status.HTTP_201_CREATED)


class ProposalDetailView(APIView):
    @extend_schema(responses=s.ProposalDetailSerializer)
    def get(self, request, pk):
        return Response(s.ProposalDetailSerializer(_visible(request, pk)).data)

    @extend_schema(
        request=s.ProposalUpdateSerializer,
        responses=s.ProposalDetailSerializer,
        summary="Edit (a draft fully; after publication only small corrections)",
    )
    def patch(self, request, pk):
        proposal = _visible(request, pk)
        _authors_only(request, "proposals.edit_proposal", proposal, _("Only the author can edit a proposal."))
        data = validated(s.ProposalUpdateSerializer, request, partial=True)
        proposal = services.proposal_update(
            actor=request.user,
            proposal=proposal,
            title=data.get("title", proposal.title),
            body=data.get("body", proposal.body),
        )
        return Response(s.ProposalDetailSerializer(proposal).data)


class ProposalTransitionView(APIView):
    """publish · withdraw (reason optional) · decline (officials; reason)."""

    permission_classes = [permissions.IsAuthenticated]
    action_name = ""

    @extend_schema(request=s.ProposalReasonSerializer, responses=s.ProposalDetailSerializer)
    def post(self, request, pk):
        proposal = _visible(request, pk)
        if self.action_name == "publish":
            _authors_only(request, "proposals.publish_proposal", proposal, _("Only the author can publish a proposal."))
        elif self.action_name == "withdraw":
            _authors_only(
                request, "proposals.withdraw_proposal", proposal, _("Only the author can withdraw a proposal.")
            )
        else:
            require_perm(
                request.user, "proposals.answer", proposal, _("Only an official of this area can decline a proposal.")
            )
        reason = validated(s.ProposalReasonSerializer, request).get("reason", "")
        if self.action_name == "publish":
            proposal = services.proposal_publish(actor=request.user, proposal=proposal)
        elif self.action_name == "withdraw":
            proposal = services.proposal_withdraw(actor=request.user, proposal=proposal, reason=reason)
        else:
            proposal = services.proposal_decline(actor=request.user, proposal=proposal, reason=reason)
        return Response(s.ProposalDetailSerializer(services.get_proposal(proposal.pk)).data)


class EndorseView(APIView):
    """Co-sign (POST) or withdraw your co-signature (DELETE)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: s.EndorsementStateSerializer}, parameters=[ACTING_FOR])
    def post(self, request, pk):
        person, assisted_by = acting_pair(request)
        proposal = services.proposal_endorse(user=person, proposal=_visible(request, pk), assisted_by=assisted_by)
        return Response(
            {"endorsement_count": proposal.endorsement_count, "state": proposal.state}, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={200: s.EndorsementStateSerializer})
    def delete(self, request, pk):
        proposal = services.proposal_unendorse(user=request.user, proposal=_visible(request, pk))
        return Response({"endorsement_count": proposal.endorsement_count, "state": proposal.state})


class FollowView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, pk):
        services.proposal_follow(user=request.user, proposal=_visible(request, pk), follow=True)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        services.proposal_follow(user=request.user, proposal=_visible(request, pk), follow=False)
        return Response(status=status.HTTP_204_NO_CONTENT)


# What a comment of the list shows (CommentSerializer), nothing more.
COMMENT_FIELDS = (
    "id",
    "parent_id",
    "stance",
    "body",
    "created_at",
    "edited_at",
    "author__id",
    "author__display_name",
    "organisation__name",
)


class CommentListView(generics.ListAPIView):
    """The discussion of a proposal, oldest first, paginated like every list (`?page=N`, 20 a page)."""

    serializer_class = s.CommentSerializer

    def get_permissions(self):
        return [permissions.AllowAny()] if self.request.method == "GET" else [permissions.IsAuthenticated()]

    def get_queryset(self):
        self.proposal = _visible(self.request, self.kwargs["pk"])
        return (
            Comment.objects.filter(proposal=self.proposal, is_hidden=False)
            .select_related("author", "organisation")
            .only(*COMMENT_FIELDS)
            .order_by("created_at", "id")
        )

    def get_count_scopes(self):  # every write of a comment (a hiding too) bumps its proposal's page
        return [f"proposal:{self.proposal.pk}"]

    @extend_schema(summary="The discussion of a proposal")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=s.CommentWriteSerializer, responses={201: s.CommentSerializer}, parameters=[ACTING_FOR])
    def post(self, request, pk):
        person, assisted_by = acting_pair(request)
        proposal = _visible(request, pk)
        data = validated(s.CommentWriteSerializer, request)
        parent = (
            Comment.objects.filter(pk=data.get("parent"), proposal=proposal).first() if data.get("parent") else None
        )
        if data.get("parent") and parent is None:
            raise InvalidInput("parent_invalid", _("You can only reply to a comment on this proposal."), field="parent")
        comment = services.comment_add(
            author=person,
            proposal=proposal,
            body=data["body"],
            stance=data["stance"],
            parent=parent,
            organisation=_organisation(data.get("organisation")),
            assisted_by=assisted_by,
        )
        return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.CommentUpdateSerializer,
        responses=s.CommentSerializer,
        summary="Edit your comment (within the edit window)",
    )
    def patch(self, request, pk):
        comment = Comment.objects.filter(pk=pk).first()
        if comment is None:
            raise NotFound("not_found", _("Not found."))
        _authors_only(request, "proposals.edit_comment", comment, _("Only the author can edit a comment."))
        data = validated(s.CommentUpdateSerializer, request, partial=True)
        comment = services.comment_edit(
            actor=request.user,
            comment=comment,
            body=data.get("body", comment.body),
            stance=data.get("stance"),  # a PATCH without a stance keeps it
        )
        return Response(s.CommentSerializer(comment).data)


class AnswerView(APIView):
    def get_permissions(self):
        return [permissions.AllowAny()] if self.request.method == "GET" else [permissions.IsAuthenticated()]

    @extend_schema(responses=s.AnswerSerializer(many=True))
    def get(self, request, pk):
        return Response(s.AnswerSerializer(selectors.answers(_visible(request, pk)), many=True).data)

    @extend_schema(
        request=s.AnswerWriteSerializer,
        responses={201: s.AnswerSerializer},
        summary="Answer as an official of the area",
    )
    def post(self, request, pk):
        proposal = _visible(request, pk)
        require_perm(request.user, "proposals.answer", proposal, _("Only an official of this area can answer."))
        data = validated(s.AnswerWriteSerializer, request)
        answer = services.proposal_answer(
            official=request.user, proposal=proposal, status=data["status"], reason=data["reason"]
        )
        return Response(s.AnswerSerializer(answer).data, status=status.HTTP_201_CREATED)


class CoSponsorView(generics.ListAPIView):
    """Co-sponsors and their pledges, oldest first, paginated like every list; co-sponsor with POST."""

    serializer_class = s.CoSponsorSerializer

    def get_permissions(self):
        return [permissions.AllowAny()] if self.request.method == "GET" else [permissions.IsAuthenticated()]

    def get_queryset(self):
        self.proposal = _visible(self.request, self.kwargs["pk"])
        return selectors.cosponsors(self.proposal).order_by("created_at", "id")

    def get_count_scopes(self):  # every co-sponsor written or removed bumps its proposal's page
        return [f"proposal:{self.proposal.pk}"]

    @extend_schema(summary="Co-sponsors of a proposal")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=s.CoSponsorWriteSerializer, responses={201: s.CoSponsorSerializer})
    def post(self, request, pk):
        data = validated(s.CoSponsorWriteSerializer, request)
        sponsor = services.cosponsor_join(
            user=request.user,
            proposal=_visible(request, pk),
            organisation=_organisation(data.get("organisation")),
            pledge_kind=data["pledge_kind"],
            pledge_amount=data.get("pledge_amount"),
            pledge_description=data["pledge_description"],
        )
        return Response(s.CoSponsorSerializer(sponsor).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("title", str), OpenApiParameter("area", str, description="Area code")])
class SimilarView(generics.ListAPIView):
    """Published proposals of the area that look like `title` (shown while writing)."""

    serializer_class = s.ProposalListSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None

    def get_queryset(self):
        params = self.request.query_params
        area = Area.objects.filter(code=params.get("area", "")).first()
        return selectors.similar_proposals(title=params.get("title", "")[:80], area=area)


class OverdueView(generics.ListAPIView):
    """Unanswered proposals of your areas, the most urgent first (officials)."""

    serializer_class = s.ProposalListSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if not self.request.user.has_perm("proposals.view_overdue"):
            from civic.errors import NotAllowed

            raise NotAllowed("not_allowed", _("You are not allowed to do this."))
        return selectors.waiting_for_answer(self.request.user)


class AreaRulesView(APIView):
    """An area's proposal rules: anyone may read them; an official of the area (or above) sets them, for the
    proposals published from then on."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses=s.AreaRulesSerializer)
    def get(self, request, code):
        return Response(s.AreaRulesSerializer(selectors.policy_for(_area(code))).data)

    @extend_schema(request=s.AreaRulesSerializer, responses=s.AreaRulesSerializer)
    def put(self, request, code):
        area = _area(code)
        require_perm(
            request.user, "proposals.set_rules", area, _("Only an official of this area or above can set its rules.")
        )
        data = validated(s.AreaRulesSerializer, request)
        services.area_policy_set(actor=request.user, area=area, **data)
        return Response(s.AreaRulesSerializer(selectors.policy_for(area)).data)
