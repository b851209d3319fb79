"""Choose the progress store from the configuration."""

from __future__ import annotations

from skill.config import Config, config
from skill.sharing.store import SharingStore
from skill.store.base import ProgressStore, StoreUnavailable


def make_store(cfg: Config | None = None) -> ProgressStore:
    """PROGRESS_TABLE set -> DynamoDB (at DYNAMODB_ENDPOINT if set); else SQLite at PROGRESS_DB.

    Backends are imported here so that importing skill.store never imports boto3.
    Raises StoreUnavailable when the store cannot be opened (e.g. PROGRESS_DB's folder
    cannot be created).
    """
    cfg = cfg or config()
    if cfg.progress_table:
        from skill.store.dynamodb import DynamoDBProgressStore

        return DynamoDBProgressStore(cfg.progress_table, endpoint_url=cfg.dynamodb_endpoint)
    from skill.store.sqlite import SQLiteProgressStore

    try:
        cfg.progress_db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailable(f"sqlite: cannot create {cfg.progress_db.parent}: {exc}") from exc
    return SQLiteProgressStore(cfg.progress_db)


def sharing_store(progress: ProgressStore) -> SharingStore | None:
    """The care-partner store beside a progress store (same database or table), or None
    for a store that could not be opened."""
    from skill.store.dynamodb import DynamoDBProgressStore
    from skill.store.sqlite import SQLiteProgressStore

    if isinstance(progress, DynamoDBProgressStore):
        from skill.store.sharing_dynamodb import DynamoDBSharingStore

        return DynamoDBSharingStore(progress)
    if isinstance(progress, SQLiteProgressStore):
        from skill.store.sharing_sqlite import SQLiteSharingStore

        return SQLiteSharingStore(progress)
    return None
