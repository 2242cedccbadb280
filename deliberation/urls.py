from django.urls import path

from . import views

urlpatterns = [
    path("", views.ballot_list, name="ballot-list"),
    path("new/", views.ballot_new, name="ballot-new"),
    path("receipt/", views.receipt_check, name="ballot-receipt"),
    path("<int:pk>/", views.ballot_detail, name="ballot-detail"),
    path("<int:pk>/results/", views.ballot_results, name="ballot-results"),
    path("<int:pk>/manage/", views.ballot_manage, name="ballot-manage"),
    path("<int:pk>/tally/", views.ballot_tally, name="ballot-tally"),
    path("<int:pk>/export.pb", views.export_pb, name="ballot-export"),
]
