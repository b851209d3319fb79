"""botocore's data loader, asked about one service only (imported with botocore, lazily).

Before it builds a client, botocore checks that the service exists by listing every
service it knows: each of its ~400 data folders listed and probed, about 2,700 stat
calls, once per model type and twice per client (~15 ms each here, measured with a
profiler; more on Lambda's slower disk). That listing is the only thing this loader
changes: asked which services exist, it looks at the one service's own folder in the
same search paths, so the answer for that service is the one botocore would give.
Finding the latest version, reading the files, extras, AWS_DATA_PATH and caching are
botocore's own Loader, unchanged. A session built on it serves that service alone.
"""

from __future__ import annotations

import os

from botocore.loaders import Loader


class OneServiceLoader(Loader):
    def __init__(self, service: str, extra_search_paths: list[str] | None = None) -> None:
        super().__init__(extra_search_paths=extra_search_paths)
        self.service = service

    def list_available_services(self, type_name: str) -> list[str]:
        for location in self.search_paths:
            folder = os.path.join(location, self.service)
            if not os.path.isdir(folder):
                continue
            for version in os.listdir(folder):
                if self.file_loader.exists(os.path.join(folder, version, type_name)):
                    return [self.service]
        return []


def loader_for(service: str, search_path_string: str | None) -> OneServiceLoader:
    """As botocore.loaders.create_loader builds its Loader from AWS_DATA_PATH."""
    if search_path_string is None:
        return OneServiceLoader(service)
    paths = [
        os.path.expanduser(os.path.expandvars(path))
        for path in search_path_string.split(os.pathsep)
    ]
    return OneServiceLoader(service, extra_search_paths=paths)
