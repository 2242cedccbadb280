"""Every read of consultations that is more than a `get`, one module per concern: the consultations, their
text and opinions (`consultations`), and their result — the comparison of the final text with the draft
and the feedback report (`results`). Callers import from the package (`from consultations import selectors`)."""

from .consultations import *  # noqa: F403
from .results import *  # noqa: F403
