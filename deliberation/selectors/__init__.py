"""Every read of the deliberation stage that is more than a `get`: ballot boxes (`ballots`) and councils with
their live sessions (`sessions`)."""

from .ballots import *  # noqa: F403
from .sessions import *  # noqa: F403
