"""What the funding services share: the project row locked for a change, the line on its public story,
and checks for what civic has no one rule for: plain numbers that are not
amounts (inspection points, policy shares) and dates. Amounts: civic.money.parse_amount; texts:
civic.text.clean_text."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from civic.errors import InvalidInput
from civic.services import timeline_record
from civic.text import clean_text

from ..models import MicroProject


def number(value, field: str) -> Decimal | None:
    """A finite Decimal (a score, a share) from what was typed, or None for nothing typed."""
    if value is None or value == "":
        return None
    try:
        result = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise InvalidInput("not_a_number", _("Enter a number."), field=field) from None
    if not result.is_finite():
        raise InvalidInput("not_a_number", _("Enter a number."), field=field)
    return result


def text(value, field: str, *, limit: int, required: bool = False, message=None) -> str:
    """Kept only for the outcome-notice service, which moves to civic on its own; everything else calls
    civic.text.clean_text directly."""
    return clean_text(value, field=field, limit=limit, required=required, message=message)


FIRST_YEAR, LAST_YEAR = 2000, 2100  # a plan or a receipt outside these years is a typing mistake


def day(value, field: str, *, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            raise InvalidInput("required", _("Enter a date."), field=field)
        return None
    parsed = value if isinstance(value, date) else None
    if parsed is None:
        try:
            parsed = parse_date(str(value))
        except ValueError:
            parsed = None
    if parsed is None:
        raise InvalidInput("date_invalid", _("Enter a date as YYYY-MM-DD."), field=field)
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise InvalidInput(
            "date_out_of_range",
            _("Enter a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field=field,
        )
    return parsed


def locked_project(project) -> MicroProject:
    return (
        MicroProject.objects.select_for_update(of=("self",))
        .select_related("area", "implementer", "proposal")
        .get(pk=project.pk)
    )


def project_story(project: MicroProject, verb: str, *, actor=None, params=None) -> None:
    """One line on the project's public story, and the same line on its proposal's (the story continues)."""
    params = {"title": project.title, **(params or {})}
    for subject in (project, project.proposal) if project.proposal_id else (project,):
        timeline_record(
            subject=subject,
            verb=verb,
            params=params,
            url=project.get_absolute_url(),
            actor=actor,
            organisation=project.implementer,
            area=project.area,
        )
