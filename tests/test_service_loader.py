"""The DynamoDB store's botocore loader answers "does this service exist" from the one
service's folder; everything it loads must be what botocore's own loader loads."""

from __future__ import annotations

import botocore.session
import pytest
from botocore.exceptions import UnknownServiceError
from botocore.loaders import create_loader

from skill.store.service_loader import loader_for


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
    with pytest.raises(UnknownServiceError):
        loader.load_service_model("s3", "service-2")


def test_extra_data_paths_are_searched_as_botocore_does(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "dynamodb" / "2099-01-01").mkdir(parents=True)
    (tmp_path / "dynamodb" / "2099-01-01" / "service-2.json").write_text("{}")
    loader = loader_for("dynamodb", str(tmp_path))
    assert loader.search_paths == create_loader(str(tmp_path)).search_paths
    assert loader_for("dynamodb", None).search_paths == create_loader(None).search_paths
    assert loader.determine_latest_version("dynamodb", "service-2") == "2099-01-01"
