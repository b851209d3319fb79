"""The stores' DynamoDB client: botocore directly, on a loader that reads as little as it can.

boto3 is not imported: it also loads s3transfer and friends, about 45 ms of every cold
start, for nothing the stores use. The session's data loader (service_loader.py) probes
DynamoDB's model folder alone, not all ~400 services' (~30 ms), and reads botocore's
data files trimmed for this skill when a build made them for the running botocore:

    skill/store/botocore-data/<botocore version>/
        endpoints.json                       every partition, its defaults and regions,
                                             with dynamodb's services (and the credential
                                             chain's: STS, SSO) alone
        dynamodb/<api version>/service-2.json     OPERATIONS and the shapes they reach
        dynamodb/<api version>/endpoint-rule-set-1.json   the same rules, compact, not gzipped
        trimmed.json                         what was kept, and from which botocore

Building a client otherwise parses botocore's endpoints.json (1.25 MB, every service) and
DynamoDB's whole model (62 operations, 553 shapes, 556 KB): with botocore 1.44.8 the
trimmed endpoints.json is 19 KB and the model 4 operations, 88 shapes, 94 KB. The files
are generated (skill/store/botocore_trim.py; `make data`, `make lambda`, `make bench`),
never committed, and used only by the botocore version they were built from: another
version (the Lambda runtime's own, when boto3 is not bundled) or no folder at all (a
checkout before a build) reads botocore's own files, as does a client whose trimmed
model lacks an operation the stores call (data built before the call was added).
"""

from __future__ import annotations

import os
from typing import Any

SERVICE = "dynamodb"
# Every operation the stores call. tests/test_botocore_data.py scans skill/store and
# skill/sharing for `client.<operation>(` and fails on a call missing here.
OPERATIONS = ("DeleteItem", "GetItem", "TransactWriteItems", "UpdateItem")
TRIMMED_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "botocore-data")


def trimmed_data(botocore_version: str) -> str | None:
    """The trimmed data folder built from this botocore version, if there is one."""
    folder = os.path.join(TRIMMED_ROOT, botocore_version)
    return folder if os.path.isdir(folder) else None


def build_client(region_name: str | None, endpoint_url: str | None, options: dict[str, Any]) -> Any:
    """A DynamoDB client for `region_name` (else the configured region) or `endpoint_url`,
    with botocore Config `options`."""
    from skill.store import urllib3_http2

    urllib3_http2.register()  # no importlib.metadata on the cold path (its docstring)
    import botocore.session

    urllib3_http2.bind()
    trimmed = trimmed_data(botocore.__version__)
    client = _create(trimmed, region_name, endpoint_url, options)
    if trimmed and not set(OPERATIONS) <= set(client.meta.service_model.operation_names):
        client.close()  # stale data: built before the stores called an operation
        client = _create(None, region_name, endpoint_url, options)
    return client


def _create(
    trimmed: str | None, region_name: str | None, endpoint_url: str | None, options: dict[str, Any]
) -> Any:
    import botocore.session
    from botocore.config import Config

    from skill.store.service_loader import loader_for

    session = botocore.session.get_session()  # own session: the default one is not thread-safe
    data_path = session.get_config_variable("data_path")
    session.register_component("data_loader", loader_for(SERVICE, data_path, trimmed))
    region = region_name or session.get_config_variable("region")
    if region is None and endpoint_url:
        region = "us-east-1"  # a local server ignores the region but botocore needs one
    return session.create_client(
        SERVICE, region_name=region, endpoint_url=endpoint_url, config=Config(**options)
    )
