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
    path("<int:pk>/<str:action>/", views.consultation_action, name="consultation-action"),
]
