"""Turning a draft's plain text or Markdown into ordered units (pure: the standard library only).

Rules (docs/consultations.md, "Importing a text"):

- One line, one unit. Blank lines and white space at the ends of a line are ignored; full-width digits
  (０-９) and the full-width full stop count as ASCII ones.
- 第一章 … → chapter (章); 第二节 … → section (节) inside the chapter; 第十二条 … → article (条). Numbers are
  Chinese numerals up to the thousands (第一百零三条) or digits (第12条). The rest of an article's line is
  its first paragraph.
- Every other line inside an article is a paragraph (款) of it, unnumbered.
- （一） or (一) starts an item (项) inside the current paragraph; 1. or 1、 starts a sub-item (目) inside
  the current item, or an item where there is none.
- Markdown: `#` … `######` start a heading (a plan's parts), nested by level; a heading whose text is
  第一章/第二节/第三条 is that unit instead. `- `, `* `, `+ ` start an item, numbered `1. ` an item or a
  sub-item as above, and an indented list line a sub-item of the item above.
- Lines before any heading, chapter or article are paragraphs of the preamble.

Each unit gets a stable anchor built from its place (`ch2-sec1`, `art12-p2-i3-s1`, `h2-h1-p3`): the
article numbers of a law run through the whole text, so an article's anchor does not name its chapter.
Problems the person who imports should look at (a number out of sequence, a number used twice, an item
outside an article or a heading) come back as warnings with their line numbers; nothing is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CHAPTER, SECTION, ARTICLE, PARAGRAPH, ITEM, SUBITEM, HEADING = (
    "chapter",
    "section",
    "article",
    "paragraph",
    "item",
    "subitem",
    "heading",
)
PLAIN, MARKDOWN = "plain", "markdown"

ANCHOR_MAX = 60

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = "零〇一二两三四五六七八九十百千"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")

_LEGAL = re.compile(rf"^第\s*([{_NUMERAL}]+|\d+)\s*(章|节|条)(?:\s+|(?=\S)|$)(.*)$")
_ITEM = re.compile(rf"^[（(]\s*([{_NUMERAL}]+|\d+)\s*[）)]\s*(.*)$")
_SUBITEM = re.compile(r"^(\d+)\s*(?:[.、](?!\d)|[)）])\s*(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^([-*+])\s+(.*)$")
_ORDERED = re.compile(r"^(\d+)[.)]\s+(.*)$")


class NumeralError(ValueError):
    pass


def chinese_number(text: str) -> int:
    """一百零三 → 103, 十二 → 12, 二十 → 20, 一千零一 → 1001, 12 → 12."""
    text = text.strip().translate(_FULL_WIDTH)
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        raise NumeralError(text)
    total, digit, last_unit = 0, None, 10_000
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and _DIGITS[ch] != 0 and digit != 0:
                raise NumeralError(text)  # two digits in a row: 一二
            digit = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            if unit >= last_unit:
                raise NumeralError(text)  # 十百, 百百
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    return total + (digit or 0)


def chinese_numeral(n: int) -> str:
    """103 → 一百零三, 12 → 十二, 20 → 二十 (1 to 9999), as printed in 第…条."""
    if not 0 < n < 10_000:
        raise ValueError(n)
    names = "零一二三四五六七八九"
    parts, zero = [], False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit % 10
        if d:
            if zero and parts:
                parts.append("零")
            parts.append(("" if (unit == 10 and d == 1 and n < 20) else names[d]) + name)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)


@dataclass
class Unit:
    kind: str
    text: str
    number: str = ""  # as printed: 第十二条, （一）, 1.
    ordinal: int | None = None
    level: int = 1
    line: int = 0  # 1-based line of the source
    anchor: str = ""
    parent: Unit | None = field(default=None, repr=False)
    children: list[Unit] = field(default_factory=list, repr=False)

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1


@dataclass
class Parsed:
    units: list[Unit]  # document order
    warnings: list[tuple[int, str, dict]]  # (line, code, params)

    @property
    def roots(self) -> list[Unit]:
        return [u for u in self.units if u.parent is None]


class _Builder:
    def __init__(self, markdown: bool):
        self.markdown = markdown
        self.units: list[Unit] = []
        self.warnings: list[tuple[int, str, dict]] = []
        self.chapter: Unit | None = None
        self.section: Unit | None = None
        self.article: Unit | None = None
        self.paragraph: Unit | None = None
        self.item: Unit | None = None
        self.headings: list[Unit] = []  # the open headings, outermost first
        self.last: dict[str, int] = {}  # last number per kind, to see a sequence broken

    def add(self, unit: Unit, parent: Unit | None) -> Unit:
        unit.parent = parent
        if parent is not None:
            parent.children.append(unit)
        self.units.append(unit)
        return unit

    def container(self) -> Unit | None:
        """Where a paragraph goes that is not in an article: the innermost open heading, section or chapter."""
        candidates = [u for u in (self.section or self.chapter, self.headings[-1] if self.headings else None) if u]
        return max(candidates, key=lambda u: u.line) if candidates else None

    def check_sequence(self, kind: str, n: int, line: int, scope: object = None) -> None:
        key = f"{kind}:{id(scope)}" if scope is not None else kind
        expected = self.last.get(key, 0) + 1
        if n != expected:
            code = "number_repeated" if n < expected else "number_skipped"
            self.warnings.append((line, code, {"number": n, "expected": expected}))
        self.last[key] = n

    # --- the kinds of line ---

    def legal(self, numeral: str, kind_char: str, rest: str, line: int) -> None:
        try:
            n = chinese_number(numeral)
        except NumeralError:
            self.paragraph_line(f"第{numeral}{kind_char}{rest}", line)
            self.warnings.append((line, "numeral_invalid", {"numeral": numeral}))
            return
        printed = f"第{numeral}{kind_char}"
        if kind_char == "章":
            self.chapter = self.add(
                Unit(CHAPTER, rest, printed, n, 1, line), self.headings[-1] if self.headings else None
            )
            self.section = self.article = self.paragraph = self.item = None
            self.check_sequence("chapter", n, line)
        elif kind_char == "节":
            if self.chapter is None:
                self.warnings.append((line, "section_outside_chapter", {}))
            self.section = self.add(Unit(SECTION, rest, printed, n, 2, line), self.chapter)
            self.article = self.paragraph = self.item = None
            self.check_sequence("section", n, line, self.chapter)
        else:
            parent = self.section or self.chapter
            if self.headings and (parent is None or self.headings[-1].line > parent.line):
                parent = self.headings[-1]
            self.article = self.add(Unit(ARTICLE, "", printed, n, 3, line), parent)
            self.paragraph = self.item = None
            self.check_sequence("article", n, line)
            if rest:
                self.paragraph_line(rest, line)

    def paragraph_line(self, text: str, line: int) -> None:
        parent = self.article or self.container()
        self.paragraph = self.add(Unit(PARAGRAPH, text, "", None, 4, line), parent)
        self.item = None

    def item_line(self, printed: str, n: int | None, text: str, line: int) -> None:
        parent = self.paragraph or self.article or self.container()
        if parent is None:
            self.warnings.append((line, "item_outside_article", {}))
        self.item = self.add(Unit(ITEM, text, printed, n, 5, line), parent)
        if n is not None:
            self.check_sequence("item", n, line, parent)

    def subitem_line(self, printed: str, n: int | None, text: str, line: int, nested: bool = False) -> None:
        """A sub-item of the current item when that is a （一） item (or the line is indented under any
        item in Markdown); otherwise an item of its own (1. 2. 3. as the only level)."""
        if self.item is None or not (nested or self.item.number.startswith("（")):
            self.item_line(printed, n, text, line)
            return
        self.add(Unit(SUBITEM, text, printed, n, 6, line), self.item)
        if n is not None:
            self.check_sequence("subitem", n, line, self.item)

    def heading(self, level: int, text: str, line: int) -> None:
        legal = _LEGAL.match(text)
        if legal:
            self.legal(legal.group(1), legal.group(2), legal.group(3).strip(), line)
            return
        while self.headings and self.headings[-1].level >= level:
            self.headings.pop()
        parent = self.headings[-1] if self.headings else None
        unit = self.add(Unit(HEADING, text, "", None, level, line), parent)
        self.headings.append(unit)
        self.chapter = self.section = self.article = self.paragraph = self.item = None

    def line(self, raw: str, number: int) -> None:
        indent = len(raw) - len(raw.lstrip(" \t\u3000"))
        text = raw.strip(" \t\u3000").translate(_FULL_WIDTH)
        if not text:
            return
        if self.markdown:
            text = text.replace("**", "").replace("__", "")
            heading = _HEADING.match(text)
            if heading:
                self.heading(len(heading.group(1)), heading.group(2), number)
                return
            bullet = _BULLET.match(text) or _ORDERED.match(text)
            if bullet:
                mark, rest = bullet.group(1), bullet.group(2).strip()
                n = int(mark) if mark.isdigit() else None
                printed = f"{mark}." if n is not None else ""
                if indent >= 2 and self.item is not None:
                    self.subitem_line(printed, n, rest, number, nested=True)
                elif n is not None:
                    self.subitem_line(printed, n, rest, number)
                else:
                    self.item_line(printed, n, rest, number)
                return
        legal = _LEGAL.match(text)
        if legal:
            self.legal(legal.group(1), legal.group(2), legal.group(3).strip(), number)
            return
        item = _ITEM.match(text)
        if item:
            try:
                n = chinese_number(item.group(1))
            except NumeralError:
                n = None
            if n is not None:
                self.item_line(f"（{item.group(1)}）", n, item.group(2).strip(), number)
                return
        sub = _SUBITEM.match(text)
        if sub and sub.group(2).strip():
            n = int(sub.group(1))
            self.subitem_line(f"{n}.", n, sub.group(2).strip(), number)
            return
        self.paragraph_line(text, number)


_PREFIX = {CHAPTER: "ch", SECTION: "sec", ARTICLE: "art", PARAGRAPH: "p", ITEM: "i", SUBITEM: "s", HEADING: "h"}


def _assign_anchors(units: list[Unit]) -> None:
    seen: set[str] = set()
    counters: dict[tuple[int, str], int] = {}
    for position, unit in enumerate(units, start=1):
        key = (id(unit.parent), unit.kind)
        counters[key] = counters.get(key, 0) + 1
        own = f"{_PREFIX[unit.kind]}{unit.ordinal if unit.ordinal is not None else counters[key]}"
        anchor = own if unit.kind == ARTICLE or unit.parent is None else f"{unit.parent.anchor}-{own}"
        if len(anchor) > ANCHOR_MAX:
            anchor = f"u{position}"
        base, n = anchor, 2
        while anchor in seen:
            anchor = f"{base}-{n}"
            n += 1
        seen.add(anchor)
        unit.anchor = anchor


def parse(source: str, fmt: str = PLAIN) -> Parsed:
    """The units of `source` in document order (each with its parent and anchor), and the warnings."""
    if fmt not in (PLAIN, MARKDOWN):
        raise ValueError(fmt)
    builder = _Builder(markdown=fmt == MARKDOWN)
    for number, raw in enumerate(source.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        builder.line(raw, number)
    _assign_anchors(builder.units)
    for unit in builder.units:
        if unit.kind == ARTICLE and not unit.children:
            builder.warnings.append((unit.line, "article_empty", {"number": unit.number}))
    builder.warnings.sort(key=lambda w: w[0])
    return Parsed(builder.units, builder.warnings)


def unit_text(unit: Unit) -> str:
    """The text of a unit with everything inside it, as one reads it (for diffs and excerpts)."""
    own = " ".join(part for part in (unit.number, unit.text) if part)
    return "\n".join([own, *(unit_text(child) for child in unit.children)]).strip()
