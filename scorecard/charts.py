"""Server-side SVG charts for the scorecard pages: pure functions, no Django, no JavaScript.

Each chart returns SVG markup with role="img", a <title> and a <desc> (the text alternative, which the
caller writes in words) and a viewBox, so it scales with its container. Every bar carries its value as
text and every segment of a share bar has its own pattern as well as its own colour, so colour is never
the only carrier of meaning; the page puts the table with the same numbers next to each chart.
The caller formats the numbers (translated, with units): a row is (label, value, text), where `value`
drives the geometry (None draws no bar) and `text` is what the reader sees.
"""

from collections.abc import Sequence
from decimal import Decimal
from html import escape

Number = int | float | Decimal | None
Row = tuple[str, Number, str]

# Dark enough for 3:1 against white (WCAG 1.4.11) and each with its own pattern for print and colour blindness.
INK = "#1d2733"
MUTED = "#4f5d6b"
TRACK = "#e3e8ee"
TRACK_EDGE = "#8795a3"
PALETTE = ["#0b5394", "#b3261e", "#1e6b3a", "#8a5a00", "#5b3f8c", "#4f5d6b"]
FONT = 14
SMALL = 12


def _num(value: Number) -> float:
    if value is None:
        return 0.0
    number = float(value)
    return number if number > 0 else 0.0


def _f(x: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(uid: str, title: str, desc: str, width: int, height: int, css: str) -> str:
    uid = escape(uid)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sc-svg {css}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" focusable="false" font-size="{FONT}" fill="{INK}">'
        f'<title id="{uid}-title">{escape(title)}</title><desc id="{uid}-desc">{escape(desc)}</desc>'
    )


def _text(x: float, y: float, text: str, *, size: int = FONT, anchor: str = "start", css: str = "", bold=False) -> str:
    """A text in ink; the size and ink are the chart's own (set on <svg>, inherited), written only when other."""
    weight = ' font-weight="700"' if bold else ""
    klass = f' class="{css}"' if css else ""
    sized = f' font-size="{size}"' if size != FONT else ""
    anchored = f' text-anchor="{anchor}"' if anchor != "start" else ""
    return f'<text x="{_f(x)}" y="{_f(y)}"{sized}{anchored}{weight}{klass}>{escape(text)}</text>'


def pattern_defs(uid: str, count: int) -> str:
    """One fill per index: colour i of the palette with its own white texture (none, stripes, dots…)."""
    uid = escape(uid)
    parts = []
    for i in range(count):
        colour = PALETTE[i % len(PALETTE)]
        kind = i % 6
        texture = ""
        rotate = ""
        if kind == 1:  # diagonal stripes
            texture = '<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/>'
            rotate = ' patternTransform="rotate(45)"'
        elif kind == 2:  # dots
            texture = '<circle cx="3" cy="3" r="1.3" fill="#fff"/>'
        elif kind == 3:  # cross-hatch
            texture = '<path d="M0 3H6M3 0V6" stroke="#fff" stroke-width="1.2"/>'
        elif kind == 4:  # horizontal lines
            texture = '<line x1="0" y1="4.5" x2="6" y2="4.5" stroke="#fff" stroke-width="1.5"/>'
        elif kind == 5:  # other diagonal
            texture = '<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="1.5"/>'
            rotate = ' patternTransform="rotate(-45)"'
        parts.append(
            f'<pattern id="{uid}-p{i}" width="6" height="6" patternUnits="userSpaceOnUse"{rotate}>'
            f'<rect width="6" height="6" fill="{colour}"/>{texture}</pattern>'
        )
    return f"<defs>{''.join(parts)}</defs>"


def fill_of(uid: str, index: int) -> str:
    return f"url(#{escape(uid)}-p{index})"


def bar_chart(
    rows: Sequence[Row],
    *,
    title: str,
    desc: str,
    uid: str,
    width: int = 360,
    max_value: Number = None,
    empty_text: str = "",
) -> str:
    """Horizontal bars, one per row, the label above its bar and the value text after it.

    `max_value` fixes the scale (1 for shares, so 100 % fills the width); otherwise the largest value does.
    """
    value_room = 76
    bar_room = width - value_room - 4
    top = 4
    step = 44
    height = top + step * max(len(rows), 1) + 4
    scale = _num(max_value) or max((_num(v) for _, v, _ in rows), default=0.0)
    out = [_open(uid, title, desc, width, height, "sc-bars")]
    if not rows:
        out.append(_text(0, top + 20, empty_text, css="sc-empty"))
    for i, (label, value, text) in enumerate(rows):
        y = top + i * step
        out.append(_text(0, y + 14, label, css="sc-label"))
        bar_y = y + 20
        out.append(f'<rect class="sc-track" x="0" y="{bar_y}" width="{bar_room}" height="16" fill="{TRACK}" rx="2"/>')
        length = bar_room * min(_num(value) / scale, 1.0) if scale else 0.0
        if value is not None and length > 0:
            out.append(
                f'<rect class="sc-bar" x="0" y="{bar_y}" width="{_f(max(length, 2))}" height="16" '
                f'fill="{PALETTE[0]}" rx="2"/>'
            )
        # a tick at zero, so an empty bar still reads as "nothing" rather than "missing"
        out.append(f'<line x1="0.5" x2="0.5" y1="{bar_y - 2}" y2="{bar_y + 18}" stroke="{INK}" stroke-width="1"/>')
        out.append(_text(bar_room + 6, bar_y + 13, text, css="sc-value", bold=True))
    out.append("</svg>")
    return "".join(out)


def share_bar(
    segments: Sequence[Row],
    *,
    title: str,
    desc: str,
    uid: str,
    width: int = 360,
    empty_text: str = "",
) -> str:
    """One bar split into the parts of a whole (a 100 % stacked bar), with a legend row per part.

    Segments of zero or None take no room but keep their legend row (with its number), so the reader
    sees that the part exists and is empty.
    """
    bar_h = 28
    legend_top = bar_h + 14
    line = 22
    height = legend_top + line * max(len(segments), 1) + 2
    total = sum(_num(v) for _, v, _ in segments)
    out = [_open(uid, title, desc, width, height, "sc-share"), pattern_defs(uid, len(segments))]
    out.append(
        f'<rect class="sc-track" x="0.5" y="0.5" width="{width - 1}" height="{bar_h}" fill="{TRACK}" '
        f'stroke="{TRACK_EDGE}" rx="3"/>'
    )
    if total > 0:
        x = 0.0
        for i, (_, value, _) in enumerate(segments):
            length = (width - 1) * _num(value) / total
            if length <= 0:
                continue
            # a white edge between parts keeps neighbours apart whatever their colours
            out.append(
                f'<rect class="sc-seg" x="{_f(x + 0.5)}" y="0.5" width="{_f(length)}" height="{bar_h}" '
                f'fill="{fill_of(uid, i)}" stroke="#fff" stroke-width="1.5"/>'
            )
            x += length
    elif empty_text:
        out.append(_text(width / 2, 19, empty_text, anchor="middle", css="sc-empty"))
    for i, (label, _, text) in enumerate(segments):
        y = legend_top + i * line
        out.append(
            f'<rect x="0" y="{y}" width="16" height="16" fill="{fill_of(uid, i)}" stroke="{INK}" stroke-width="0.5"/>'
        )
        out.append(_text(24, y + 13, label, css="sc-label"))
        out.append(_text(width, y + 13, text, anchor="end", css="sc-value", bold=True))
    out.append("</svg>")
    return "".join(out)


def funnel(
    steps: Sequence[Row],
    *,
    title: str,
    desc: str,
    uid: str,
    width: int = 360,
    notes: Sequence[str] | None = None,
) -> str:
    """Centred bars that narrow step by step (proposed → … → paid); each row says its count, and
    `notes` (one per step, e.g. "80 % of proposed") is written under the label."""
    top = 2
    step = 48
    bar_h = 18
    height = top + step * max(len(steps), 1)
    first = max((_num(v) for _, v, _ in steps), default=0.0)
    out = [_open(uid, title, desc, width, height, "sc-funnel")]
    for i, (label, value, text) in enumerate(steps):
        y = top + i * step
        note = notes[i] if notes and i < len(notes) and notes[i] else ""
        out.append(_text(0, y + 14, label, css="sc-label", bold=True))
        if note:
            out.append(_text(width, y + 14, note, size=SMALL, anchor="end", css="sc-note"))
        bar_y = y + 20
        out.append(f'<rect class="sc-track" x="0" y="{bar_y}" width="{width}" height="{bar_h}" fill="{TRACK}" rx="2"/>')
        length = width * _num(value) / first if first else 0.0
        if length > 0:
            length = max(length, 2)
            out.append(
                f'<rect class="sc-bar" x="{_f((width - length) / 2)}" y="{bar_y}" width="{_f(length)}" '
                f'height="{bar_h}" fill="{PALETTE[0]}" rx="2"/>'
            )
        # the count sits on a white label in the middle, legible over the bar or the track
        label_w = 8 + 8 * len(text)
        out.append(
            f'<rect x="{_f((width - label_w) / 2)}" y="{bar_y + 2}" width="{_f(label_w)}" height="{bar_h - 4}" '
            f'fill="#fff" rx="3"/>'
        )
        out.append(_text(width / 2, bar_y + 13.5, text, size=12, anchor="middle", css="sc-value", bold=True))
    out.append("</svg>")
    return "".join(out)
