"""The consultation pages, one module per concern: the consultation and its text, opinions, answering."""

from .answers import *  # noqa: F403
from .consultations import *  # noqa: F403
from .opinions import *  # noqa: F403
from .results import *  # noqa: F403
