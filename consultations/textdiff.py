"""Character-level differences between two texts (pure: the standard library only).

Chinese has no spaces between words, so a word diff would mark whole sentences; the diff is taken on
characters (`difflib.SequenceMatcher`, without its junk heuristic, which would treat the commonest
characters — 的, 。 — as noise in long texts). `diff_html` renders it with `<del>` for what was taken out
and `<ins>` for what was put in, every piece of text escaped.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from html import escape

EQUAL, DELETE, INSERT = "equal", "delete", "insert"


def char_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(op, text)] turning `old` into `new`, op in equal/delete/insert; neighbours of one op are merged."""
    ops: list[tuple[str, str]] = []

    def push(op: str, text: str) -> None:
        if not text:
            return
        if ops and ops[-1][0] == op:
            ops[-1] = (op, ops[-1][1] + text)
        else:
            ops.append((op, text))

    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push(EQUAL, old[i1:i2])
        else:
            push(DELETE, old[i1:i2])
            push(INSERT, new[j1:j2])
    return ops


def diff_html(old: str, new: str) -> str:
    """The diff as escaped HTML: unchanged text as is, `<del>` removed, `<ins>` added."""
    parts = []
    for op, text in char_diff(old, new):
        if op == EQUAL:
            parts.append(escape(text))
        elif op == DELETE:
            parts.append(f"<del>{escape(text)}</del>")
        else:
            parts.append(f"<ins>{escape(text)}</ins>")
    return "".join(parts)


def changed(old: str, new: str) -> bool:
    return old != new
