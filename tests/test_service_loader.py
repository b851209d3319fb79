"""The DynamoDB store's botocore loader answers "does this service exist" from the one
service's folder; everything it loads must be what botocore's own loader loads."""

from __future__ import annotations

import os
from pathlib import Path

import botocore.session
import pytest
from botocore.exceptions import UnknownServiceError
from botocore.loaders import create_loader

from skill.store.dynamodb import DynamoDBProgressStore
from skill.store.service_loader import loader_for
from tests.store_fixtures import create_table

pytest_plugins = ["tests.store_fixtures"]


def _client(one_service: bool, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    for key, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items():
        monkeypatch.setenv(key, value)
    session = botocore.session.get_session()
    if one_service:
        data_path = session.get_config_variable("data_path")
        session.register_component("data_loader", loader_for("dynamodb", data_path))
    return session.create_client("dynamodb")


def test_the_same_model_endpoint_paginators_and_waiters(monkeypatch: pytest.MonkeyPatch) -> None:
    default, scoped = _client(False, monkeypatch), _client(True, monkeypatch)
    assert scoped.meta.service_model.api_version == default.meta.service_model.api_version
    assert scoped.meta.service_model.operation_names == default.meta.service_model.operation_names
    assert (
        scoped.meta.endpoint_url
        == default.meta.endpoint_url
        == ("https://dynamodb.eu-west-1.amazonaws.com")
    )
    assert scoped.can_paginate("scan") and default.can_paginate("scan")
    assert scoped.get_waiter("table_exists").name == default.get_waiter("table_exists").name


def test_it_knows_its_one_service_only() -> None:
    loader = loader_for("dynamodb", None)
    assert loader.list_available_services("service-2") == ["dynamodb"]
    assert loader_for("no-such-service", None).list_available_services("service-2") == []
    # Another service (the credential chain's STS client) is botocore's own, fully listed.
    assert loader.load_service_model("sts", "service-2") == create_loader().load_service_model(
        "sts", "service-2"
    )
    with pytest.raises(UnknownServiceError):
        loader.load_service_model("no-such-service", "service-2")


def test_extra_data_paths_are_searched_as_botocore_does(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "dynamodb" / "2099-01-01").mkdir(parents=True)
    (tmp_path / "dynamodb" / "2099-01-01" / "service-2.json").write_text("{}")
    loader = loader_for("dynamodb", str(tmp_path))
    assert loader.search_paths == create_loader(str(tmp_path)).search_paths
    assert loader_for("dynamodb", None).search_paths == create_loader(None).search_paths
    assert loader.determine_latest_version("dynamodb", "service-2") == "2099-01-01"


def test_a_role_profile_gets_its_credentials_through_sts(
    dynamodb_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A self-hosted server on a role profile: the credential chain builds its STS client
    from the store's own session (moto answers STS here), then the store reads."""
    table = create_table(dynamodb_endpoint)
    config = tmp_path / "config"
    config.write_text(
        "[profile base]\naws_access_key_id = base-key\naws_secret_access_key = base-secret\n"
        "[profile skill]\nrole_arn = arn:aws:iam::123456789012:role/skill\n"
        "source_profile = base\n"
    )
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_PROFILE", "skill")
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", dynamodb_endpoint)
    store = DynamoDBProgressStore(table, endpoint_url=dynamodb_endpoint)
    assert not store.load("amzn1.ask.account.role-profile").exercises_by_date
    frozen = store.client._request_signer._credentials.get_frozen_credentials()
    assert frozen.access_key not in ("base-key", "testing") and frozen.token  # STS's
