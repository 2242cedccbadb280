"""Open data: incentive-for-subsidy awards (以奖代补), as noticed to the public."""

from django.utils.translation import gettext_lazy as _

from funding.models import SubsidyAward

from .core import Dataset, Field, link, within

AWARDS = Dataset(
    name="awards",
    title=_("Subsidy awards"),
    description=_(
        "Every incentive-for-subsidy award (以奖代补) computed for a project, as noticed to the public, "
        "including those recomputed after an objection or cancelled."
    ),
    fields=(
        Field("id", "integer", _("Number of the award."), "31"),
        Field("project_id", "integer", _("Project (see the projects dataset)."), "56"),
        Field("project_title", "text", _("Title of that project."), "3 栋楼道灯更换", "project__title"),
        Field("area_code", "text", _("Code of the project's area."), "990102001001", "project__area__code"),
        Field(
            "stage",
            "text",
            _("provisional (before the work) or settlement (after acceptance)."),
            "settlement",
        ),
        Field(
            "status",
            "text",
            _("notice (under public notice), approved, superseded (recomputed) or cancelled."),
            "approved",
        ),
        Field("base", "money", _("Amount the award was computed on (budget or verified cost)."), "116500.00"),
        Field("amount", "money", _("The award."), "34950.00"),
        Field("payout", "money", _("Left to pay at settlement."), "10950.00"),
        Field("recovery", "money", _("To recover from the implementer at settlement."), "0.00"),
        Field(
            "policy_area_code",
            "text",
            _("Area whose subsidy policy was applied."),
            "990102",
            "policy__area__code",
        ),
        Field("policy_version", "integer", _("Version of that policy."), "2", "policy__version"),
        Field(
            "computed_at",
            "datetime",
            _("When it was computed and put under notice."),
            "2026-07-06T09:00:00+08:00",
        ),
        Field("notice_until", "datetime", _("End of the public notice."), "2026-07-13T09:00:00+08:00"),
        Field("objections_until", "datetime", _("End of the objection window."), "2026-07-13T09:00:00+08:00"),
        Field("approved_at", "datetime", _("When it was approved; empty if not."), "2026-07-14T15:00:00+08:00"),
        Field(
            "charge_area_code",
            "text",
            _("Area whose yearly cap the award is charged to (the policy's own area)."),
            "990102",
            "charge_area__code",
        ),
        Field("charge_year", "integer", _("Year it is charged to (set on approval)."), "2026"),
        Field(
            "url",
            "url",
            _("Its page, with how it was computed."),
            "https://example.org/awards/31/",
            **link("funding:award-detail"),
        ),
    ),
    records=lambda area: within(SubsidyAward.objects.all(), "project__area_path", area).order_by("computed_at", "id"),
)
