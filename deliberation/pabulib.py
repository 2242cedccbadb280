"""Reading and writing the open pabulib `.pb` format, so anyone can check a count against published data.

Three `;`-separated sections — META, PROJECTS, VOTES — each starting with its name on a line. Columns are
read by their header names (real files order them differently). Errors name the line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction


def _(message: str) -> str:
    """Translate when Django is set up (the admin and the commands); plain English otherwise (bench/)."""
    try:
        from django.utils.translation import gettext

        return gettext(message)
    except Exception:  # no settings configured: a script outside the site
        return message


class PabulibError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(_("line %(line)s: %(message)s") % {"line": line, "message": message})
        self.line = line
        self.message = message


@dataclass
class Election:
    meta: dict[str, str]
    projects: dict[str, dict[str, str]]  # project_id → its row
    votes: list[tuple[str, list[str]]] = field(default_factory=list)  # (voter_id, approved project ids)

    @property
    def budget(self) -> Fraction:
        return _number(self.meta["budget"], 0, "budget")

    def cost(self, project_id: str) -> Fraction:
        return _number(self.projects[project_id]["cost"], 0, "cost")

    @property
    def selected(self) -> list[str]:
        return [p for p, row in self.projects.items() if str(row.get("selected", "")).strip() == "1"]


def _number(text: str, line: int, what: str) -> Fraction:
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except InvalidOperation as error:
        raise PabulibError(
            line, _("%(what)s is not a number: %(text)s") % {"what": what, "text": repr(text)}
        ) from error
    if not value.is_finite() or value < 0:
        raise PabulibError(
            line, _("%(what)s must be a non-negative number: %(text)s") % {"what": what, "text": repr(text)}
        )
    return Fraction(value)


def parse(data: bytes | str) -> Election:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise PabulibError(line, _("the file is not UTF-8 text")) from error
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    section, header = None, None
    meta: dict[str, str] = {}
    projects: dict[str, dict[str, str]] = {}
    votes: list[tuple[str, list[str]]] = []
    seen = set()
    for number, row in enumerate(rows, start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        first = row[0].strip()
        if first.upper() in ("META", "PROJECTS", "VOTES") and len([c for c in row if c.strip()]) == 1:
            section, header = first.upper(), None
            seen.add(section)
            continue
        if section is None:
            raise PabulibError(number, _("data before the META section"))
        if section == "META":
            if first == "key" and len(row) > 1 and row[1].strip() == "value":
                continue
            if len(row) < 2:
                raise PabulibError(number, _("a META line needs a key and a value"))
            meta[first] = row[1].strip()
            continue
        if header is None:
            header = [h.strip() for h in row]
            needed = ["project_id", "cost"] if section == "PROJECTS" else ["voter_id", "vote"]
            for name in needed:
                if name not in header:
                    raise PabulibError(
                        number,
                        _("the %(section)s header has no column %(name)s") % {"section": section, "name": repr(name)},
                    )
            continue
        record = {header[i]: row[i].strip() if i < len(row) else "" for i in range(len(header))}
        if section == "PROJECTS":
            pid = record["project_id"]
            if not pid:
                raise PabulibError(number, _("a project without project_id"))
            if pid in projects:
                raise PabulibError(number, _("project %(id)s appears twice") % {"id": pid})
            _number(record["cost"], number, "cost")
            record["_line"] = str(number)
            projects[pid] = record
        else:
            approved = [p.strip() for p in record["vote"].split(",") if p.strip()]
            for p in approved:
                if p not in projects:
                    raise PabulibError(number, _("vote for unknown project %(id)s") % {"id": repr(p)})
            if len(set(approved)) != len(approved):
                raise PabulibError(number, _("a project is approved twice in one vote"))
            votes.append((record["voter_id"], approved))
    for name in ("META", "PROJECTS", "VOTES"):
        if name not in seen:
            raise PabulibError(len(rows), _("the %(name)s section is missing") % {"name": name})
    if "budget" not in meta:
        raise PabulibError(1, _("META has no budget"))
    _number(meta["budget"], 1, "budget")
    vote_type = meta.get("vote_type", "approval")
    if vote_type != "approval":
        raise PabulibError(1, _("only approval ballots are supported, not %(type)s") % {"type": repr(vote_type)})
    return Election(meta, projects, votes)


def write(election: Election) -> str:
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    w.writerow(["META"])
    w.writerow(["key", "value"])
    for key, value in election.meta.items():
        w.writerow([key, value])
    w.writerow(["PROJECTS"])
    columns = ["project_id", "cost", "name", "votes", "selected"]
    extra = sorted({k for row in election.projects.values() for k in row} - set(columns) - {"_line"})
    w.writerow(columns + extra)
    for pid, row in election.projects.items():
        w.writerow([pid] + [row.get(c, "") for c in columns[1:] + extra])
    w.writerow(["VOTES"])
    w.writerow(["voter_id", "vote"])
    for voter, approved in election.votes:
        w.writerow([voter, ",".join(approved)])
    return out.getvalue()


def voting_dates(meta: dict[str, str]) -> tuple[date | None, date | None]:
    """The first and last day of voting as the file's META gives them (`date_begin`, `date_end`: dd.mm.yyyy
    as pabulib writes them, or ISO yyyy-mm-dd); None for a date missing or not readable."""
    return _date(meta.get("date_begin", "")), _date(meta.get("date_end", ""))


def _date(text: str) -> date | None:
    text = str(text).strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None
