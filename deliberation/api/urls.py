from django.urls import path

from . import views

urlpatterns = [
    path("ballots/", views.BoxListView.as_view(), name="api-ballots"),
    path("ballots/receipt/", views.ReceiptCheckView.as_view(), name="api-ballot-receipt"),
    path("ballots/<int:pk>/", views.BoxDetailView.as_view(), name="api-ballot"),
    path("ballots/<int:pk>/vote/", views.VoteView.as_view(), name="api-ballot-vote"),
    path("ballots/<int:pk>/results/", views.ResultsView.as_view(), name="api-ballot-results"),
]
