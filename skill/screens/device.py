"""Whether the device behind a request can show our screens.

Only when it says so: the `Alexa.Presentation.APL` interface in the device's
supportedInterfaces, a Viewport in the request's context, and an APL runtime at
least as new as the document. Anything else (a speaker, an old runtime, a request
without context) gets no APL directive at all.
"""

from __future__ import annotations

from ask_sdk_model.request_envelope import RequestEnvelope


def apl_runtime(envelope: RequestEnvelope) -> str | None:
    """The device's highest APL version ("2024.2"), or None without APL and a viewport."""
    context = envelope.context
    if context is None or getattr(context, "viewport", None) is None:
        return None
    device = getattr(getattr(context, "system", None), "device", None)
    interfaces = getattr(device, "supported_interfaces", None)
    apl = getattr(interfaces, "alexa_presentation_apl", None)
    if apl is None:
        return None
    found = getattr(getattr(apl, "runtime", None), "max_version", None)
    return found if isinstance(found, str) else None


def shows(envelope: RequestEnvelope, document_version: str) -> bool:
    """True when the device can render a document of `document_version`."""
    runtime = apl_runtime(envelope)
    if runtime is None:
        return False
    have, need = _version(runtime), _version(document_version)
    return have is not None and need is not None and have >= need


def _version(text: str) -> tuple[int, ...] | None:
    parts = text.split(".")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() and len(p) <= 5 for p in parts):
        return None
    return tuple(int(p) for p in parts)
