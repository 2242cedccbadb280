"""Markdown that cannot carry script: rendered, then sanitised with an allow-list."""

import re

import markdown
import nh3

_LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s+")


def _loosen_lists(text: str) -> str:
    """Start a list after a paragraph line, as people write it (Markdown wants a blank line first)."""
    out: list[str] = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if _LIST_ITEM.match(line) and out and out[-1].strip() and not _LIST_ITEM.match(out[-1]):
            out.append("")
        out.append(line)
    return "\n".join(out)


ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "a",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def render_markdown(text: str) -> str:
    # Headings become h3/h4 so a proposal never outranks the page's own h1/h2.
    html = markdown.markdown(_loosen_lists(text), extensions=["sane_lists", "tables"], output_format="html")
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener ugc",
    )


def plain_text(text: str) -> str:
    return nh3.clean(render_markdown(text), tags=set()).strip()
