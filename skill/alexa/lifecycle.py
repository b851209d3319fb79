"""Lambda's lifecycle: what runs at init (before a SnapStart snapshot) and after a restore.

With SnapStart, Lambda runs the init phase once per published version, snapshots the
whole VM, and starts every later environment from that snapshot. So:

- `prepare()` does at init everything the first answer would otherwise pay for and that
  does not depend on a request: imports, the routine compiled for the default settings,
  the locale tables, the botocore client (service model, endpoint rules, credentials),
  and in a SnapStart init also the request model classes the SDK imports on first use
  and the TLS context (CA bundle; without a snapshot the first request loads its own
  classes, and the first lookup builds the context, overlapping the store read). It
  sends nothing: no socket is opened at import or init with static credentials (tests
  prove it); on Lambda, botocore fetches the role's credentials from the local
  container endpoint, which is what the SDK does anyway.
- `after_restore()` undoes what must not outlive a restore: kept connections (the VM's
  peers are gone; botocore and our ApiClient would find them dead and reconnect, but a
  clean pool costs nothing) and the `random` module's state (botocore's retry jitter
  would otherwise be identical in every restored environment). Credentials stay:
  botocore holds them with their expiry and refreshes them by the wall clock, so a
  restore days later refreshes before the first call. Nothing else here is clock- or
  entropy-based: request ids and timestamps come from each request, uuid4 reads
  os.urandom, and TLS uses OpenSSL's generator, which Lambda documents as
  snapshot-resilient.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from skill.alexa import app
from skill.alexa.api_client import AlexaApiClient
from skill.alexa.serializer import EnvelopeSerializer

log = logging.getLogger("skill")


def prepare() -> Any:
    """Init work, no I/O beyond credentials: returns the ready skill."""
    from skill.routine.model import load_routine
    from skill.routine.settings import Settings
    from skill.speech.copy import copy_for
    from skill.speech.narrate import compiled

    skill = app.get_skill()  # configuration, logging, routine data, handlers
    routine = load_routine()
    # The routine as speech at the default settings: for en-US always, and in a snapshot
    # (where it costs nothing) for every locale the skill is published in, ~3 ms each.
    locales = ["en-US"]
    if snapshotting():
        from skill.speech.copy import SUPPORTED_LOCALES

        locales = sorted(set(SUPPORTED_LOCALES) | {"en-US"})
    for locale in locales:
        compiled(routine, Settings(), copy_for(locale).locale)
    if snapshotting():
        # A request's model classes are imported, and their reading plans made, on
        # first reading (~10 ms): free in a snapshot. Without one, the first request
        # loads its own classes and no others (and the sample requests' builder is
        # not imported at all).
        from skill.alexa.envelopes import Conversation

        talk = Conversation(api_endpoint="https://api.amazonalexa.com")
        serializer = skill.serializer
        for event in (talk.launch(), talk.intent("AMAZON.NextIntent")):
            if isinstance(serializer, EnvelopeSerializer):
                serializer.read_envelope(event)
    api_client = getattr(skill, "api_client", None)
    if snapshotting() and isinstance(api_client, AlexaApiClient):
        # Free in a snapshot. Without one, the first zone lookup builds it on its
        # worker thread, overlapping the store read, and only if a lookup happens.
        api_client.context()
    store = _store()
    warm = getattr(store, "prepare", None)
    if callable(warm):
        try:
            warm()
        except Exception as error:  # no region or credentials here: built on first use
            log.warning("store client not built at init: %s", type(error).__name__)
    return skill


def snapshotting() -> bool:
    """True in a SnapStart init phase (Lambda sets this variable for each kind of init)."""
    return os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start"


def after_restore() -> None:
    """Run by Lambda after a SnapStart restore, before the first request."""
    import random

    random.seed()
    skill = app.get_skill()
    api_client = getattr(skill, "api_client", None)
    if isinstance(api_client, AlexaApiClient):
        api_client.close()
    close = getattr(_store(), "close_connections", None)
    if callable(close):
        close()


def register_snapshot_hooks() -> bool:
    """Register after_restore with the Lambda runtime; False where there is none."""
    try:
        from snapshot_restore_py import register_after_restore  # type: ignore[import-untyped]
    except ImportError:  # not on Lambda's Python runtime (tests, self-hosting)
        return False
    register_after_restore(after_restore)
    return True


def _store() -> Any:
    return app._default_store()
