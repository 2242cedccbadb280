from django.urls import path

from . import results as r
from . import views as v

urlpatterns = [
    path("consultations/", v.ConsultationListView.as_view(), name="consultations"),
    path("consultations/<int:pk>/", v.ConsultationDetailView.as_view(), name="consultation"),
    path("consultations/<int:pk>/text/", v.TextImportView.as_view(), name="consultation-text"),
    path("consultations/<int:pk>/units/<slug:anchor>/", v.UnitView.as_view(), name="consultation-unit"),
    path(
        "consultations/<int:pk>/publish/",
        v.ConsultationActionView.as_view(action_name="publish"),
        name="consultation-publish",
    ),
    path(
        "consultations/<int:pk>/finish-answering/",
        v.ConsultationActionView.as_view(action_name="finish"),
        name="consultation-finish-answering",
    ),
    path("consultations/<int:pk>/extensions/", v.ExtendView.as_view(), name="consultation-extend"),
    path("consultations/<int:pk>/follow/", v.FollowView.as_view(), name="consultation-follow"),
    path("consultations/<int:pk>/opinions/", v.OpinionListView.as_view(), name="consultation-opinions"),
    path("consultations/<int:pk>/offline-opinions/", v.OfflineOpinionView.as_view(), name="consultation-offline"),
    path("consultations/<int:pk>/symposiums/", v.SymposiumListView.as_view(), name="consultation-symposiums"),
    path("consultations/<int:pk>/groups/", v.GroupListView.as_view(), name="consultation-groups"),
    path("consultations/<int:pk>/questions/", v.QuestionListView.as_view(), name="consultation-questions"),
    path("opinions/<int:pk>/", v.OpinionDetailView.as_view(), name="opinion"),
    path("opinions/<int:pk>/support/", v.SupportView.as_view(), name="opinion-support"),
    path("opinions/<int:pk>/answer/", v.OpinionAnswerView.as_view(), name="opinion-answer"),
    path("opinion-groups/<int:pk>/answer/", v.GroupAnswerView.as_view(), name="opinion-group-answer"),
    path("questions/<int:pk>/answers/", v.QuestionAnswerView.as_view(), name="question-answer"),
]


# the result: the final text, its publication, the comparison and the feedback report
urlpatterns += [
    path("consultations/<int:pk>/final/", r.FinalTextView.as_view(), name="consultation-final"),
    path("consultations/<int:pk>/final/units/", r.FinalUnitListView.as_view(), name="consultation-final-units"),
    path(
        "consultations/<int:pk>/final/units/<int:unit_pk>/",
        r.FinalUnitView.as_view(),
        name="consultation-final-unit",
    ),
    path("consultations/<int:pk>/conclude/", r.ConcludeView.as_view(), name="consultation-conclude"),
    path("consultations/<int:pk>/comparison/", r.ComparisonView.as_view(), name="consultation-comparison"),
    path("consultations/<int:pk>/report/", r.ReportView.as_view(), name="consultation-report"),
]
