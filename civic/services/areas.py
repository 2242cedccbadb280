"""Areas: the tree of city, districts, streets, communities and grid cells."""

import csv
import io

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..errors import Conflict, InvalidInput, NotAllowed
from ..models import (
    AREA_LEVEL_ORDER,
    Area,
    AreaLevel,
)
from ..text import clean_text
from .audit import audit_record

AREA_CODE_MAX = 32
AREA_NAME_MAX = 100


def _child_level_ok(parent: Area | None, level: str) -> bool:
    if parent is None:
        return level == AreaLevel.CITY
    return AREA_LEVEL_ORDER.index(level) == AREA_LEVEL_ORDER.index(parent.level) + 1


@transaction.atomic
def area_create(*, code: str, name: str, level: str, parent: Area | None = None) -> Area:
    code = clean_text(code, field="code", limit=AREA_CODE_MAX, single_line=True)
    name = clean_text(name, field="name", limit=AREA_NAME_MAX, single_line=True)
    if not code or not name:
        raise InvalidInput("area_incomplete", _("An area needs a code and a name."))
    if "/" in code:
        raise InvalidInput("area_code_invalid", _("An area code cannot contain “/”."), field="code")
    if level not in AREA_LEVEL_ORDER:
        raise InvalidInput("area_level_unknown", _("Unknown area level “%(level)s”.") % {"level": level})
    if not _child_level_ok(parent, level):
        if parent is None:
            message = _("Only a city can stand at the top of the area tree.")
        else:
            message = _("A %(level)s cannot be placed directly under a %(parent)s.") % {
                "level": AreaLevel(level).label,
                "parent": AreaLevel(parent.level).label,
            }
        raise InvalidInput("area_level_order", message, field="level")
    path = f"{parent.path if parent else '/'}{code}/"
    try:
        with transaction.atomic():  # the unique constraint settles two creations at the same moment
            return Area.objects.create(
                code=code,
                name=name,
                level=level,
                parent=parent,
                path=path,
                depth=0 if parent is None else parent.depth + 1,
            )
    except IntegrityError:
        raise Conflict(
            "area_code_taken", _("An area with the code %(code)s already exists.") % {"code": code}
        ) from None


@transaction.atomic
def area_get_or_create(*, code: str, name: str, level: str, parent: Area | None = None) -> Area:
    existing = Area.objects.filter(code=code).first()
    return existing or area_create(code=code, name=name, level=level, parent=parent)


AREA_CSV_COLUMNS = ["code", "name", "level", "parent_code"]


@transaction.atomic
def area_import_csv(*, actor, data: bytes) -> dict[str, int]:
    """Import areas from CSV (code,name,level,parent_code); all or nothing, errors name the line.

    Existing codes with the same name, level and parent are left alone, so a file can be imported again.
    """
    if not actor.is_superuser:
        raise NotAllowed("not_allowed", _("Only administrators can import areas."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput("csv_encoding", _("The file must be UTF-8 encoded CSV.")) from error
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames][:4] != AREA_CSV_COLUMNS:
        raise InvalidInput(
            "csv_header", _("The first line must be the header: %(header)s") % {"header": ",".join(AREA_CSV_COLUMNS)}
        )
    created = unchanged = 0
    for line_no, row in enumerate(reader, start=2):
        code = (row.get("code") or "").strip()
        parent_code = (row.get("parent_code") or "").strip()
        try:
            parent = None
            if parent_code:
                parent = Area.objects.filter(code=parent_code).first()
                if parent is None:
                    raise InvalidInput(
                        "area_parent_unknown",
                        _("The parent area %(code)s does not exist (it must come earlier in the file).")
                        % {"code": parent_code},
                    )
            existing = Area.objects.filter(code=code).first()
            if existing is not None:
                same = (
                    existing.name == (row.get("name") or "").strip()
                    and existing.level == (row.get("level") or "").strip()
                    and existing.parent_id == (parent.pk if parent else None)
                )
                if not same:
                    raise Conflict(
                        "area_code_taken", _("An area with the code %(code)s already exists.") % {"code": code}
                    )
                unchanged += 1
                continue
            area_create(code=code, name=row.get("name") or "", level=(row.get("level") or "").strip(), parent=parent)
            created += 1
        except (InvalidInput, Conflict) as error:
            raise InvalidInput(
                error.code, _("Line %(line)s: %(error)s") % {"line": line_no, "error": error.message}
            ) from error
    audit_record(actor=actor, action="area.imported", after={"created": created, "unchanged": unchanged})
    return {"created": created, "unchanged": unchanged}
