from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("areas/<str:code>/subsidy-policy/", views.subsidy_policy, name="subsidy-policy"),
    path("areas/<str:code>/ledger/", views.area_ledger, name="area-ledger"),
    path("areas/<str:code>/ledger.csv", views.area_ledger_export, {"fmt": "csv"}, name="area-ledger-csv"),
    path("areas/<str:code>/ledger.json", views.area_ledger_export, {"fmt": "json"}, name="area-ledger-json"),
    path("projects/<int:pk>/ledger.csv", views.project_ledger_export, {"fmt": "csv"}, name="project-ledger-csv"),
    path("projects/<int:pk>/ledger.json", views.project_ledger_export, {"fmt": "json"}, name="project-ledger-json"),
    path("projects/<int:pk>/awards/compute/", views.award_compute, name="award-compute"),
    path("awards/<int:pk>/", views.award_detail, name="award-detail"),
    path("awards/<int:pk>/approve/", views.award_approve, name="award-approve"),
    path("awards/<int:pk>/recompute/", views.award_recompute, name="award-recompute"),
    path("awards/<int:pk>/objections/", views.objection_file, name="award-objection-file"),
    path("awards/objections/<int:pk>/answer/", views.objection_answer, name="award-objection-answer"),
    path("awards/<int:pk>/advance/", views.advance_pay, name="award-advance-pay"),
    path("awards/<int:pk>/settlement/", views.settlement_pay, name="award-settlement-pay"),
    path("awards/<int:pk>/recovery/", views.recovery_record, name="award-recovery-record"),
    path("ledger/<int:pk>/reverse/", views.ledger_reverse, name="ledger-reverse"),
    path("funding/desk/", views.funding_desk, name="funding-desk"),
    path("projects/", views.project_list, name="project-list"),
    path("areas/<str:code>/projects/", views.project_list, name="area-projects"),
    path("projects/new/", views.project_desk, name="project-new"),
    path("proposals/<int:proposal_id>/project/new/", views.project_new_from_proposal, name="project-new-from-proposal"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/start/", views.project_start, name="project-start"),
    path("projects/<int:pk>/progress/", views.project_progress, name="project-progress"),
    path("projects/<int:pk>/completion/", views.project_completion, name="project-completion"),
    path("projects/<int:pk>/milestones/", views.project_milestone_add, name="project-milestone-add"),
    path("projects/<int:pk>/commitments/", views.project_commitment_add, name="project-commitment-add"),
    path("projects/<int:pk>/receipts/", views.project_receipt_add, name="project-receipt-add"),
    path("projects/<int:pk>/inspection/", views.project_inspection, name="project-inspection"),
    path("projects/<int:pk>/suspend/", views.project_suspend, name="project-suspend"),
    path("projects/<int:pk>/resume/", views.project_resume, name="project-resume"),
    path("projects/<int:pk>/cancel/", views.project_cancel, name="project-cancel"),
    path("projects/<int:pk>/close/", views.project_close, name="project-close"),
    path("projects/<int:pk>/rating/", views.project_rate, name="project-rate"),
]
