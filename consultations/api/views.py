"""Consultations API: parse, call a service or selector, serialize."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.api.utils import validated
from civic.errors import InvalidInput, NotFound
from civic.models import Area, Organisation
from civic.services import require_perm

from .. import pages, selectors, services, textimport
from ..models import Classification, ConsultationState, Opinion, OpinionGroup, Question, Source, Symposium, TextUnit
from ..selectors import consultations as consultation_selectors
from . import serializers as s


def _area(code):
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise NotFound("area_unknown", _("No area has the code %(code)s.") % {"code": code}, field="area")
    return area


def _opinion(request, pk) -> Opinion:
    opinion = Opinion.objects.select_related("consultation__area").filter(pk=pk).first()
    if opinion is None:
        raise NotFound("not_found", _("This opinion does not exist."))
    return selectors.opinion_for(request.user, opinion.consultation, pk)


def _bool(value, field):
    if value in (None, ""):
        return None
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    raise InvalidInput("filter_invalid", _("Use true or false."), field=field)


@extend_schema(
    parameters=[
        OpenApiParameter("area", str, description="Area code: consultations in it and everything under it"),
        OpenApiParameter("state", str, enum=[s for s in ConsultationState.values if s != "draft"]),
    ]
)
class ConsultationListView(generics.ListCreateAPIView):
    """Published consultations, newest first; create one (a draft) as an official of its area."""

    serializer_class = s.ConsultationListSerializer

    def get_queryset(self):
        params = self.request.query_params
        state = params.get("state") or None
        if state and (state not in ConsultationState.values or state == "draft"):
            raise InvalidInput("state_unknown", _("Unknown state."), field="state")
        self.area = _area(params["area"]) if params.get("area") else None
        return selectors.consultation_list(area=self.area, state=state)

    def get_count_scopes(self):  # a consultation's every save bumps the lists of its area and above
        return pages.list_scopes(self.area)

    @extend_schema(request=s.ConsultationWriteSerializer, responses={201: s.ConsultationDetailSerializer})
    def post(self, request):
        require_perm(request.user, "consultations.create", None, _("Only officials can start a consultation."))
        data = validated(s.ConsultationWriteSerializer, request)
        drafters = list(get_user_model().objects.filter(pk__in=data.pop("drafters")))
        consultation = services.consultation_create(
            actor=request.user, area=_area(data.pop("area")), drafters=drafters, **data
        )
        return Response(_detail(request, consultation), status=status.HTTP_201_CREATED)


def _detail(request, consultation):
    units = selectors.units(selectors.version_of(consultation))
    return s.ConsultationDetailSerializer(consultation, context={"units": units, "request": request}).data


class ConsultationDetailView(APIView):
    @extend_schema(responses=s.ConsultationDetailSerializer, summary="A consultation with its draft text's units")
    def get(self, request, pk):
        return Response(_detail(request, selectors.consultation_for(request.user, pk)))


class TextImportView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.TextImportSerializer,
        responses=inline_serializer(
            "TextPreview",
            {
                "units": s.UnitSerializer(many=True),
                "warnings": serializers.ListField(child=serializers.CharField()),
            },
        ),
        summary="Import the draft's text (or only preview how it is read, with `preview`)",
    )
    def post(self, request, pk):
        consultation = selectors.consultation_for(request.user, pk)
        require_perm(
            request.user, "consultations.manage", consultation, _("Only the drafters can change this consultation.")
        )
        data = validated(s.TextImportSerializer, request)
        parsed = textimport.parse(data["source"], data["source_format"])
        warnings = [services.import_warning_message(*w) for w in parsed.warnings]
        if data["preview"]:
            units = [
                {
                    "id": None,
                    "anchor": u.anchor,
                    "kind": u.kind,
                    "level": u.level,
                    "number": u.number,
                    "ordinal": u.ordinal,
                    "text": u.text,
                    "parent": u.parent.anchor if u.parent else None,
                    "position": i,
                }
                for i, u in enumerate(parsed.units, start=1)
            ]
            return Response({"units": units, "warnings": warnings})
        version = services.consultation_import_text(
            actor=request.user, consultation=consultation, source=data["source"], source_format=data["source_format"]
        )
        units = s.UnitSerializer(selectors.units(version), many=True).data
        return Response({"units": units, "warnings": warnings}, status=status.HTTP_201_CREATED)


class UnitView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.UnitCorrectSerializer, responses=s.UnitSerializer, summary="Correct a unit of the draft")
    def patch(self, request, pk, anchor):
        consultation = selectors.consultation_for(request.user, pk)
        require_perm(
            request.user, "consultations.manage", consultation, _("Only the drafters can change this consultation.")
        )
        unit = TextUnit.objects.filter(version__consultation=consultation, version__kind="draft", anchor=anchor).first()
        if unit is None:
            raise NotFound("unit_unknown", _("This part of the text does not exist in the draft."))
        data = validated(s.UnitCorrectSerializer, request)
        return Response(
            s.UnitSerializer(services.consultation_unit_correct(actor=request.user, unit=unit, **data)).data
        )


class ConsultationActionView(APIView):
    """publish · finish-answering (the drafters)."""

    permission_classes = [permissions.IsAuthenticated]
    action_name = ""

    @extend_schema(request=None, responses=s.ConsultationDetailSerializer)
    def post(self, request, pk):
        consultation = selectors.consultation_for(request.user, pk)
        if self.action_name == "publish":
            consultation = services.consultation_publish(actor=request.user, consultation=consultation)
        else:
            consultation = services.consultation_finish_answering(actor=request.user, consultation=consultation)
        return Response(_detail(request, consultation))


class ExtendView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.ExtendSerializer, responses=s.ExtensionSerializer, summary="Extend the window")
    def post(self, request, pk):
        consultation = selectors.consultation_for(request.user, pk)
        require_perm(
            request.user, "consultations.manage", consultation, _("Only the drafters can extend this consultation.")
        )
        data = validated(s.ExtendSerializer, request)
        extension = services.consultation_extend(actor=request.user, consultation=consultation, **data)
        return Response(s.ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)


class FollowView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, pk):
        services.consultation_follow(user=request.user, consultation=selectors.consultation_for(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.consultation_unfollow(user=request.user, consultation=selectors.consultation_for(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


OPINION_FIELDS = (*consultation_selectors.OPINION_LINE_FIELDS, "symposium_id", "group_id", "received_on")


@extend_schema(
    parameters=[
        OpenApiParameter("unit", str, description="Anchor of a unit: the opinions on it"),
        OpenApiParameter("whole", bool, description="Only the opinions on the whole text"),
        OpenApiParameter("source", str, enum=Source.values),
        OpenApiParameter("answered", bool),
        OpenApiParameter("classification", str, enum=Classification.values),
        OpenApiParameter("order", str, enum=["time", "newest", "support", "unit"]),
    ]
)
class OpinionListView(generics.ListCreateAPIView):
    """The opinions the caller may read (paged); give an opinion (participants, during the window)."""

    serializer_class = s.OpinionSerializer

    def get_queryset(self):
        params = self.request.query_params
        consultation = selectors.consultation_for(self.request.user, self.kwargs["pk"])
        self.consultation_pk = consultation.pk
        unit = None
        if params.get("unit"):
            unit = TextUnit.objects.filter(version__consultation=consultation, anchor=params["unit"]).first()
            if unit is None:
                raise NotFound("unit_unknown", _("This part of the text does not exist in the draft."))
        opinions = selectors.opinions(
            self.request.user,
            consultation,
            unit=unit,
            whole=bool(_bool(params.get("whole"), "whole")),
            source=params.get("source", ""),
            answered=_bool(params.get("answered"), "answered"),
            classification=params.get("classification", ""),
            order=params.get("order", "time"),
        )
        # only what OpinionSerializer shows: the symposium and the group by id, no join for them
        return opinions.select_related(None).select_related("author", "organisation", "unit").only(*OPINION_FIELDS)

    def get_count_scopes(self):
        # every write of an opinion (moderation, answers and groups too) bumps `opinions:PK`; what the caller
        # may read (their own, the drafters' all) is in the query, which keys the count
        return [f"opinions:{self.consultation_pk}", f"consultation:{self.consultation_pk}"]

    @extend_schema(request=s.OpinionWriteSerializer, responses={201: s.OpinionSerializer})
    def post(self, request, pk):
        consultation = selectors.consultation_for(request.user, pk)
        data = validated(s.OpinionWriteSerializer, request)
        organisation = None
        if data["organisation"]:
            organisation = Organisation.objects.filter(pk=data["organisation"]).first()
            if organisation is None:
                raise InvalidInput("organisation_unknown", _("Unknown organisation."), field="organisation")
        opinion = services.opinion_submit(
            author=request.user,
            consultation=consultation,
            unit=data["unit"] or None,
            text=data["text"],
            wording=data["wording"],
            organisation=organisation,
            as_resident=data["as_resident"],
        )
        return Response(s.OpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)


class OfflineOpinionView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.OfflineOpinionSerializer,
        responses={201: s.OpinionSerializer},
        summary="Enter an opinion that came in offline",
    )
    def post(self, request, pk):
        consultation = selectors.consultation_for(request.user, pk)
        require_perm(
            request.user, "consultations.enter_offline", consultation, _("Only staff of this area can enter opinions.")
        )
        data = validated(s.OfflineOpinionSerializer, request)
        symposium = None
        if data["symposium"]:
            symposium = Symposium.objects.filter(pk=data["symposium"], consultation=consultation).first()
            if symposium is None:
                raise InvalidInput(
                    "symposium_missing", _("Choose the symposium the opinion was given at."), field="symposium"
                )
        opinion = services.opinion_enter_offline(
            staff=request.user,
            consultation=consultation,
            source=data["source"],
            unit=data["unit"] or None,
            text=data["text"],
            wording=data["wording"],
            symposium=symposium,
            submitter=data["submitter"],
            received_on=data["received_on"],
        )
        return Response(s.OpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)


class SymposiumListView(APIView):
    @extend_schema(responses=s.SymposiumSerializer(many=True))
    def get(self, request, pk):
        consultation = selectors.consultation_for(request.user, pk)
        return Response(s.SymposiumSerializer(selectors.symposiums(consultation), many=True).data)

    @extend_schema(request=s.SymposiumSerializer, responses={201: s.SymposiumSerializer})
    def post(self, request, pk):
        consultation = selectors.consultation_for(request.user, pk)
        require_perm(
            request.user, "consultations.enter_offline", consultation, _("Only staff of this area can enter opinions.")
        )
        data = validated(s.SymposiumSerializer, request)
        symposium = services.symposium_record(staff=request.user, consultation=consultation, **data)
        return Response(s.SymposiumSerializer(symposium).data, status=status.HTTP_201_CREATED)


class OpinionDetailView(APIView):
    @extend_schema(responses=s.OpinionSerializer)
    def get(self, request, pk):
        return Response(s.OpinionSerializer(_opinion(request, pk)).data)


class SupportView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None}, summary="同意此意见: support an opinion")
    def post(self, request, pk):
        services.opinion_support(user=request.user, opinion=_opinion(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.opinion_unsupport(user=request.user, opinion=_opinion(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class OpinionAnswerView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.AnswerSerializer, responses=s.OpinionSerializer, summary="Answer an opinion (once)")
    def post(self, request, pk):
        opinion = _opinion(request, pk)
        require_perm(
            request.user, "consultations.answer", opinion.consultation, _("Only the drafters can answer opinions.")
        )
        data = validated(s.AnswerSerializer, request)
        return Response(s.OpinionSerializer(services.opinion_answer(actor=request.user, opinion=opinion, **data)).data)


class GroupListView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.GroupWriteSerializer, responses={201: s.GroupSerializer}, summary="Group opinions to answer them once"
    )
    def post(self, request, pk):
        consultation = selectors.consultation_for(request.user, pk)
        require_perm(request.user, "consultations.answer", consultation, _("Only the drafters can group opinions."))
        data = validated(s.GroupWriteSerializer, request)
        opinions = [Opinion(pk=opinion_pk) for opinion_pk in data["opinions"]]
        group = services.group_create(
            actor=request.user, consultation=consultation, title=data["title"], opinions=opinions
        )
        return Response(s.GroupSerializer(group).data, status=status.HTTP_201_CREATED)


class GroupAnswerView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.AnswerSerializer, responses=s.GroupSerializer, summary="Answer every opinion of a group")
    def post(self, request, pk):
        group = OpinionGroup.objects.select_related("consultation__area").filter(pk=pk).first()
        if group is None:
            raise NotFound("not_found", _("This group does not exist."))
        require_perm(
            request.user, "consultations.answer", group.consultation, _("Only the drafters can answer opinions.")
        )
        data = validated(s.AnswerSerializer, request)
        group = services.group_answer(actor=request.user, group=group, **data)
        return Response(s.GroupSerializer(group).data)


class QuestionListView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=s.QuestionWriteSerializer, responses={201: s.QuestionSerializer}, summary="Add a question (draft)"
    )
    def post(self, request, pk):
        consultation = selectors.consultation_for(request.user, pk)
        require_perm(
            request.user, "consultations.manage", consultation, _("Only the drafters can change this consultation.")
        )
        data = validated(s.QuestionWriteSerializer, request)
        question = services.question_add(actor=request.user, consultation=consultation, **data)
        return Response(s.QuestionSerializer(question).data, status=status.HTTP_201_CREATED)


class QuestionAnswerView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.QuestionAnswerSerializer, responses={204: None}, summary="Answer a question (once)")
    def post(self, request, pk):
        question = Question.objects.select_related("consultation__area").filter(pk=pk).first()
        if question is None:
            raise NotFound("not_found", _("This question does not exist."))
        selectors.consultation_for(request.user, question.consultation_id)
        data = validated(s.QuestionAnswerSerializer, request)
        services.question_answer(user=request.user, question=question, options=data["options"], text=data["text"])
        return Response(status=status.HTTP_204_NO_CONTENT)
