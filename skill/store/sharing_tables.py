"""The care-partner tables on SQLite (sharing_sqlite.py explains them), created by
sqlite.py with the progress tables, so that sqlite.py never imports the sharing store."""

SHARING_SCHEMA = """
CREATE TABLE IF NOT EXISTS care_news (user_id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS care_links (
    person TEXT NOT NULL, follower TEXT NOT NULL,
    follower_name TEXT NOT NULL, person_name TEXT NOT NULL,
    since INTEGER NOT NULL, announced INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (person, follower)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS care_links_by_follower ON care_links (follower, person);
CREATE TABLE IF NOT EXISTS care_codes (
    digest TEXT PRIMARY KEY, owner TEXT NOT NULL, account TEXT NOT NULL,
    name TEXT NOT NULL, expires INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS care_codes_by_owner ON care_codes (owner);
CREATE INDEX IF NOT EXISTS care_codes_by_expiry ON care_codes (expires);
CREATE TABLE IF NOT EXISTS care_messages (
    person TEXT NOT NULL, follower TEXT NOT NULL, at INTEGER NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (person, follower, at)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS care_ended (
    follower TEXT NOT NULL, person TEXT NOT NULL, name TEXT NOT NULL,
    PRIMARY KEY (follower, person)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS care_wrong_codes (account TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS care_wrong_codes_by_account ON care_wrong_codes (account, at);
"""
