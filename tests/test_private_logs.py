"""LOG_LEVEL=DEBUG turns up the skill's own logging only: a whole session against
DynamoDB (moto over HTTP) logs neither the user id nor the AWS session token."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

from tests.store_fixtures import ROOT, admin_client, create_table

pytest_plugins = ["tests.store_fixtures"]

# Runs in a fresh interpreter, so logging is set up exactly as on a cold Lambda start.
SESSION = """
from skill.alexa.envelopes import Conversation
from tests.alexa_driver import Driver

person = Driver(Conversation(user_id={user!r}, api_endpoint="https://127.0.0.1:1"))
person.launch()
person.say("No")
person.say("Next")
person.say("SlowerIntent")
person.say("ProgressIntent")
person.say("Stop")
print("session done")
"""


def test_debug_session_logs_no_user_id_and_no_token(dynamodb_endpoint: str) -> None:
    table = create_table(dynamodb_endpoint)
    user = f"amzn1.ask.account.PRIVATE{uuid.uuid4().hex}"
    token = f"SECRETTOKEN{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "LOG_LEVEL": "DEBUG",
        "PROGRESS_TABLE": table,
        "DYNAMODB_ENDPOINT": dynamodb_endpoint,
        "AWS_ACCESS_KEY_ID": "AKIDTESTING",
        "AWS_SECRET_ACCESS_KEY": "testing-secret",
        "AWS_SESSION_TOKEN": token,
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    env.pop("LIBRARY_LOG_LEVEL", None)
    try:
        run = subprocess.run(
            [sys.executable, "-c", SESSION.format(user=user)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        output = run.stdout + run.stderr
        assert run.returncode == 0, output
        assert "session done" in output
        assert "LaunchRequest" in output  # the skill's own lines are there, at DEBUG
        assert "PRIVATE" not in output and user not in output
        assert token not in output and "SECRETTOKEN" not in output
        assert "testing-secret" not in output
        stored = admin_client(dynamodb_endpoint).get_item(
            TableName=table, Key={"userId": {"S": user}}
        )
        assert "Item" in stored  # the session really went through DynamoDB
    finally:
        admin_client(dynamodb_endpoint).delete_table(TableName=table)


def test_bad_level_names_fall_back_instead_of_failing() -> None:
    import logging

    from skill.config import Config, configure_logging

    root = logging.getLogger()
    before = (root.level, logging.getLogger("skill").level)
    try:
        configure_logging(Config.from_env({"LOG_LEVEL": "chatty", "LIBRARY_LOG_LEVEL": "x"}))
        assert logging.getLogger("skill").level == logging.INFO
        assert root.level == logging.WARNING
        configure_logging(Config.from_env({"LOG_LEVEL": "debug"}))
        assert logging.getLogger("skill").level == logging.DEBUG
        assert root.level == logging.WARNING
    finally:
        root.setLevel(before[0])
        logging.getLogger("skill").setLevel(before[1])
