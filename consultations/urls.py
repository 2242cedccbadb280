from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="consultation-list"),
    path("new/", views.consultation_new, name="consultation-new"),
    path("mine/", views.consultation_desk, name="consultation-desk"),
    path("areas/<str:code>/subscription/", views.area_subscription, name="area-subscription"),
    path("<int:pk>/", views.consultation_detail, name="consultation-detail"),
    path("<int:pk>/edit/", views.consultation_edit, name="consultation-edit"),
    path("<int:pk>/text/", views.consultation_text, name="consultation-text"),
    path("<int:pk>/text/<slug:anchor>/", views.unit_correct, name="unit-correct"),
    path("<int:pk>/questions/new/", views.question_add, name="question-add"),
    path("<int:pk>/questions/<int:question_pk>/answer/", views.question_answer, name="question-answer"),
    path("<int:pk>/opinions/", views.opinion_list, name="opinion-list"),
    path("<int:pk>/opinions/<int:opinion_pk>/", views.opinion_detail, name="opinion-detail"),
    path("<int:pk>/opinions/<int:opinion_pk>/answer/", views.opinion_answer, name="opinion-answer"),
    path("<int:pk>/opinions/<int:opinion_pk>/<str:action>/", views.opinion_action, name="opinion-action"),
    path("<int:pk>/offline/", views.offline_entry, name="offline-entry"),
    path("<int:pk>/answers/", views.answer_desk, name="answer-desk"),
    path("<int:pk>/answers/groups/", views.group_create, name="group-create"),
    path("<int:pk>/answers/groups/<int:group_pk>/", views.group_answer, name="group-answer"),
    path("<int:pk>/answers/finish/", views.finish_answering, name="finish-answering"),
    path("<int:pk>/final/", views.final_text, name="final-text"),
    path("<int:pk>/final/start/", views.final_start, name="final-start"),
    path("<int:pk>/final/add/", views.final_add, name="final-add"),
    path("<int:pk>/final/<int:unit_pk>/", views.final_unit_revise, name="final-unit"),
    path("<int:pk>/final/<int:unit_pk>/remove/", views.final_unit_remove, name="final-unit-remove"),
    path("<int:pk>/conclude/", views.consultation_conclude, name="consultation-conclude"),
    path("<int:pk>/comparison/", views.consultation_comparison, name="consultation-comparison"),
    path("<int:pk>/report/", views.consultation_report, name="consultation-report"),
    path("<int:pk>/report/upstream/", views.consultation_upstream, name="consultation-upstream"),
    path("<int:pk>/<str:action>/", views.consultation_action, name="consultation-action"),
]
