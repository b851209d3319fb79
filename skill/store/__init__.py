"""What the skill remembers about a user: one ProgressStore protocol, two backends.

Importing this package imports neither boto3 nor sqlite connections; make_store() picks
and builds the backend from the configuration.
"""

from skill.store.base import ProgressStore, StoreUnavailable
from skill.store.factory import make_store

__all__ = [
    "ProgressStore",
    "StoreUnavailable",
    "make_store",
]
