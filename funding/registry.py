"""What funding plugs into the civic core."""

from django.utils.translation import gettext_lazy as _

from civic.registry import timeline_verb


def register() -> None:
    timeline_verb("subsidy.policy_published", _("Subsidy policy version %(version)s: %(share)s %% of the cost"))
