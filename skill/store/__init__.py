"""What the skill remembers about a user: one ProgressStore protocol, two backends.

Importing this package imports neither boto3 nor sqlite connections; make_store() picks
and builds the backend from the configuration.
"""

from skill.store.base import (
    SCHEMA_VERSION,
    Position,
    ProgressStore,
    ProgressUpdate,
    StoreUnavailable,
    UserProgress,
)
from skill.store.factory import make_store

__all__ = [
    "SCHEMA_VERSION",
    "Position",
    "ProgressStore",
    "ProgressUpdate",
    "StoreUnavailable",
    "UserProgress",
    "make_store",
]
