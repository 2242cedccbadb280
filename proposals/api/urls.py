from django.urls import path

from . import views as v

urlpatterns = [
    path("categories/", v.CategoryListView.as_view(), name="categories"),
    path("areas/<str:code>/proposal-rules/", v.AreaRulesView.as_view(), name="area-proposal-rules"),
    path("proposals/", v.ProposalListView.as_view(), name="proposals"),
    path("proposals/similar/", v.SimilarView.as_view(), name="proposals-similar"),
    path("proposals/waiting-for-answer/", v.OverdueView.as_view(), name="proposals-waiting"),
    path("proposals/<int:pk>/", v.ProposalDetailView.as_view(), name="proposal"),
    *[
        path(
            f"proposals/<int:pk>/{name}/",
            v.ProposalTransitionView.as_view(action_name=name),
            name=f"api-proposal-{name}",
        )
        for name in ("publish", "withdraw", "decline")
    ],
    path("proposals/<int:pk>/endorsement/", v.EndorseView.as_view(), name="proposal-endorse"),
    path("proposals/<int:pk>/follow/", v.FollowView.as_view(), name="proposal-follow"),
    path("proposals/<int:pk>/comments/", v.CommentListView.as_view(), name="proposal-comments"),
    path("proposals/<int:pk>/answers/", v.AnswerView.as_view(), name="proposal-answers"),
    path("proposals/<int:pk>/cosponsors/", v.CoSponsorView.as_view(), name="proposal-cosponsors"),
    path("comments/<int:pk>/", v.CommentDetailView.as_view(), name="comment"),
]
