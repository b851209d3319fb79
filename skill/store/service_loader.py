"""botocore's data loader, asked about one service only (imported with botocore, lazily).

Before it builds a client, botocore checks that the service exists by listing every
service it knows: each of its ~400 data folders listed and probed, about 2,700 stat
calls, once per model type and twice per client (~15 ms each here, measured with a
profiler; more on Lambda's slower disk). That listing is the first thing this loader
changes: asked which services exist, it looks at the one service's own folder in the
same search paths, so the answer for that service is the one botocore would give.

The second: a folder of botocore's own data files trimmed for this skill (built by
skill/store/botocore_trim.py, found by skill/store/dynamodb_client.py for the running
botocore's version only) can sit just before botocore's own data folder in the search
path, botocore's documented way to supply data files. What it holds is read from it,
anything else from botocore's folder as usual; data read from it counts as botocore's
own (`is_builtin_path`), as it is, so endpoint resolution takes the same path.
Another service's model (the credential chain's STS or SSO client, built from the same
session when role or single-sign-on credentials refresh) comes from botocore's own Loader
on the same paths, with its full listing: slower, and never on the cold path.
Finding the latest version, reading the files, extras, AWS_DATA_PATH and caching are
botocore's own Loader, unchanged.
"""

from __future__ import annotations

import os
from typing import Any

from botocore.loaders import Loader


class OneServiceLoader(Loader):
    def __init__(
        self,
        service: str,
        extra_search_paths: list[str] | None = None,
        trimmed: str | None = None,
    ) -> None:
        # botocore's order: AWS_DATA_PATH, then ~/.aws/models, then its own data; the
        # trimmed folder goes just before its own, so a person's models still come first.
        paths = [*(extra_search_paths or []), self.CUSTOMER_DATA_PATH]
        paths += [trimmed] if trimmed else []
        paths.append(self.BUILTIN_DATA_PATH)
        super().__init__(extra_search_paths=paths, include_default_search_paths=False)
        self.service = service
        self.trimmed = trimmed
        self._others: Loader | None = None

    def list_available_services(self, type_name: str) -> list[str]:
        for location in self.search_paths:
            folder = os.path.join(location, self.service)
            if not os.path.isdir(folder):
                continue
            for version in os.listdir(folder):
                if self.file_loader.exists(os.path.join(folder, version, type_name)):
                    return [self.service]
        return []

    def load_service_model(
        self, service_name: str, type_name: str, api_version: str | None = None
    ) -> Any:
        if service_name == self.service:
            return super().load_service_model(service_name, type_name, api_version)
        # Another service: the credential chain's own clients (STS for a role profile or
        # web identity, SSO), built from the same session when credentials refresh. They
        # get botocore's own loader on the same paths, trimmed folder aside: full listing.
        if self._others is None:
            paths = [path for path in self.search_paths if path != self.trimmed]
            self._others = Loader(extra_search_paths=paths, include_default_search_paths=False)
        return self._others.load_service_model(service_name, type_name, api_version)

    def is_builtin_path(self, path: str) -> bool:
        if self.trimmed and path.startswith(self.trimmed + os.sep):
            return True  # botocore's own data, trimmed
        return bool(super().is_builtin_path(path))


def loader_for(
    service: str, search_path_string: str | None, trimmed: str | None = None
) -> OneServiceLoader:
    """As botocore.loaders.create_loader builds its Loader from AWS_DATA_PATH, with the
    trimmed data folder (when given) searched just before botocore's own."""
    given = search_path_string.split(os.pathsep) if search_path_string is not None else []
    paths = [os.path.expanduser(os.path.expandvars(path)) for path in given]
    return OneServiceLoader(service, extra_search_paths=paths, trimmed=trimmed)
