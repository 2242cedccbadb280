from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from civic.forms import submit
from civic.models import Area

from .. import selectors, services
from ..forms import SubsidyPolicyForm


def subsidy_policy(request, code):
    """The policy in force for an area (its own or inherited), its versions, and for officials a new one."""
    area = get_object_or_404(Area, code=code)
    in_force = selectors.policy_in_force(area)
    can_set = request.user.has_perm("funding.set_policy", area)
    form = None
    if can_set:
        form = SubsidyPolicyForm(
            request.POST if request.method == "POST" else None, initial=SubsidyPolicyForm.initial_from(in_force)
        )

        def publish(data):
            return services.policy_publish(actor=request.user, area=area, data=form.policy_data())

        if request.method == "POST" and (done := submit(form, publish)):
            messages.success(
                request, _("Version %(version)s of the subsidy policy is in force.") % {"version": done.value.version}
            )
            return redirect(done.value)
    elif request.method == "POST":
        services.require_perm(request.user, "funding.set_policy", area)
    return render(
        request,
        "funding/subsidy_policy.html",
        {"area": area, "in_force": in_force, "versions": selectors.policy_versions(area), "form": form},
    )
