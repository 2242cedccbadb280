from django.urls import path

from . import awards as aw
from . import ledger as lg
from . import projects as pj
from . import views as v

urlpatterns = [
    path("areas/<str:code>/subsidy-policy/", v.SubsidyPolicyView.as_view(), name="subsidy-policy"),
    path("projects/<int:pk>/ledger/", lg.ProjectLedgerView.as_view(), name="project-ledger"),
    path("areas/<str:code>/ledger/", lg.AreaLedgerView.as_view(), name="area-ledger"),
    path("areas/<str:code>/ledger/balances/", lg.AreaLedgerBalancesView.as_view(), name="area-ledger-balances"),
    path("projects/", pj.ProjectListView.as_view(), name="projects"),
    path("projects/<int:pk>/", pj.ProjectDetailView.as_view(), name="project"),
    path("proposals/adopted-without-project/", pj.AdoptedWithoutProjectView.as_view(), name="adopted-no-project"),
    path("projects/<int:pk>/start/", pj.ProjectActionView.as_view(action_name="start"), name="project-start"),
    path("projects/<int:pk>/resume/", pj.ProjectActionView.as_view(action_name="resume"), name="project-resume"),
    path("projects/<int:pk>/close/", pj.ProjectActionView.as_view(action_name="close"), name="project-close"),
    path("projects/<int:pk>/suspend/", pj.ProjectReasonView.as_view(action_name="suspend"), name="project-suspend"),
    path("projects/<int:pk>/cancel/", pj.ProjectReasonView.as_view(action_name="cancel"), name="project-cancel"),
    path("projects/<int:pk>/complete/", pj.ProjectCompleteView.as_view(), name="project-complete"),
    path("projects/<int:pk>/commitments/", pj.CommitmentCreateView.as_view(), name="project-commitments"),
    path("commitments/<int:pk>/receipts/", pj.ReceiptCreateView.as_view(), name="commitment-receipts"),
    path("projects/<int:pk>/milestones/", pj.MilestoneCreateView.as_view(), name="project-milestones"),
    path("projects/<int:pk>/reports/", pj.ProgressReportCreateView.as_view(), name="project-reports"),
    path("projects/<int:pk>/inspections/", pj.InspectionCreateView.as_view(), name="project-inspections"),
    path("projects/<int:pk>/rating/", pj.RatingView.as_view(), name="project-rating"),
    path("projects/<int:pk>/awards/", aw.AwardComputeView.as_view(), name="project-awards"),
    path("awards/<int:pk>/", aw.AwardDetailView.as_view(), name="award"),
    path("awards/<int:pk>/approve/", aw.AwardApproveView.as_view(), name="award-approve"),
    path("awards/<int:pk>/recompute/", aw.AwardRecomputeView.as_view(), name="award-recompute"),
    path("awards/<int:pk>/objections/", aw.ObjectionCreateView.as_view(), name="award-objections"),
    path("objections/<int:pk>/answer/", aw.ObjectionAnswerView.as_view(), name="objection-answer"),
    path("awards/<int:pk>/advances/", aw.AdvancePayView.as_view(), name="award-advances"),
    path("awards/<int:pk>/settlement-payment/", aw.SettlementPayView.as_view(), name="award-settlement-payment"),
    path("awards/<int:pk>/recoveries/", aw.RecoveryCreateView.as_view(), name="award-recoveries"),
    path("ledger/<int:pk>/reverse/", aw.LedgerReverseView.as_view(), name="ledger-reverse"),
]
