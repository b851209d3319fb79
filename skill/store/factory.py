"""Choose the progress store from the configuration."""

from __future__ import annotations

from skill.config import Config, config
from skill.store.base import ProgressStore


def make_store(cfg: Config | None = None) -> ProgressStore:
    """PROGRESS_TABLE set -> DynamoDB (at DYNAMODB_ENDPOINT if set); else SQLite at PROGRESS_DB.

    Backends are imported here so that importing skill.store never imports boto3.
    """
    cfg = cfg or config()
    if cfg.progress_table:
        from skill.store.dynamodb import DynamoDBProgressStore

        return DynamoDBProgressStore(cfg.progress_table, endpoint_url=cfg.dynamodb_endpoint)
    from skill.store.sqlite import SQLiteProgressStore

    cfg.progress_db.parent.mkdir(parents=True, exist_ok=True)
    return SQLiteProgressStore(cfg.progress_db)
