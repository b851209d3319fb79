"""Deployment configuration, read once from the environment into a frozen object."""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

from msgspec import Struct

from skill.conversation.clock import DEFAULT_ZONE


def default_db_path() -> Path:
    """Where the embedded SQLite store lives when PROGRESS_DB is not set."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "foot-routine" / "progress.sqlite3"


class Config(Struct, frozen=True):
    progress_table: str | None  # set -> DynamoDB; unset -> embedded SQLite
    dynamodb_endpoint: str | None  # a local DynamoDB-compatible server, for tests and dev
    progress_db: Path  # the SQLite file
    alexa_skill_id: str | None  # checked by the web endpoint
    log_level: str  # the skill's own loggers ("skill.*")
    library_log_level: str  # everything else (botocore, urllib3, ask_sdk): WARNING unless asked
    default_time_zone: str  # when the device's zone can't be read and none is stored

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Config:
        env = dict(os.environ if env is None else env)
        return cls(
            progress_table=env.get("PROGRESS_TABLE") or None,
            dynamodb_endpoint=env.get("DYNAMODB_ENDPOINT") or None,
            progress_db=Path(env["PROGRESS_DB"]) if env.get("PROGRESS_DB") else default_db_path(),
            alexa_skill_id=env.get("ALEXA_SKILL_ID") or None,
            log_level=env.get("LOG_LEVEL", "INFO").upper(),
            library_log_level=env.get("LIBRARY_LOG_LEVEL", "WARNING").upper(),
            default_time_zone=env.get("DEFAULT_TIME_ZONE") or DEFAULT_ZONE,
        )


@lru_cache(maxsize=1)
def config() -> Config:
    """The process-wide configuration (read once)."""
    return Config.from_env()


def configure_logging(cfg: Config, fmt: str = "%(levelname)s %(name)s %(message)s") -> None:
    """LOG_LEVEL for the skill's own loggers only. Libraries stay at LIBRARY_LOG_LEVEL
    (WARNING): at DEBUG, botocore and urllib3 log request bodies (user ids) and
    signed headers (the AWS session token).

    Hosts that installed a handler already (Lambda's runtime, gunicorn, pytest) keep it.
    """
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(fmt))
        root.addHandler(handler)
    root.setLevel(_level(cfg.library_log_level, logging.WARNING))
    logging.getLogger("skill").setLevel(_level(cfg.log_level, logging.INFO))


def _level(name: str, default: int) -> int:
    """A level name as a number; an unknown name is `default`, never an error at startup."""
    value = logging.getLevelName(name)
    return value if isinstance(value, int) else default
