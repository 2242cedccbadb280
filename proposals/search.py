"""Search that works for Chinese, on SQLite and PostgreSQL alike.

Chinese has no spaces and most queries are one or two characters, which a trigram index cannot
serve. Each proposal stores tokens: every Han character (unigram) and every pair of neighbouring Han
characters (bigram), plus lower-cased words of other scripts. A query becomes the AND of its own
tokens: its bigrams (or its single character), and its words. On PostgreSQL the tokens are matched
through a GIN full-text index ('simple' configuration); on SQLite by substring matching.
"""

import re

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{HAN}]+|[0-9A-Za-z\u00c0-\u024f]+")


def _is_han(text: str) -> bool:
    return bool(re.match(rf"[{HAN}]", text))


def tokens(text: str) -> list[str]:
    """The index tokens of a text, in order, with repeats removed."""
    out: list[str] = []
    for run in _RUN.findall(text or ""):
        if _is_han(run):
            out.extend(run)
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run.lower())
    return list(dict.fromkeys(out))


def query_tokens(query: str) -> list[str]:
    """The tokens a text must all contain to match `query`."""
    needed: list[str] = []
    for run in _RUN.findall(query or ""):
        if _is_han(run):
            needed.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
        else:
            needed.append(run.lower())
    return list(dict.fromkeys(needed))


def tsquery(query: str) -> str:
    """A raw to_tsquery('simple', …) expression, or '' when the query has no searchable token."""
    return " & ".join(f"'{t}'" for t in query_tokens(query) if "'" not in t)
