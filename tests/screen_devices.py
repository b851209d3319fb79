"""Screen devices as Alexa describes them in a request's context (Viewport), one per
viewport profile the skill must serve, and a voice-only speaker."""

from __future__ import annotations

from typing import Any


def viewport(
    width: int, height: int, shape: str = "RECTANGLE", mode: str = "HUB", dpi: int = 160
) -> dict[str, Any]:
    return {
        "experiences": [
            {"arcMinuteWidth": 246, "arcMinuteHeight": 144, "canRotate": False, "canResize": False}
        ],
        "mode": mode,
        "shape": shape,
        "pixelWidth": width,
        "pixelHeight": height,
        "dpi": dpi,
        "currentPixelWidth": width,
        "currentPixelHeight": height,
        "touch": ["SINGLE"] if mode == "HUB" else [],
        "keyboard": ["DIRECTION"] if mode == "TV" else [],
        "video": {"codecs": ["H_264_42", "H_264_41"]},
    }


# Named after the viewport profile each falls in (alexa-viewport-profiles).
SCREENS: dict[str, dict[str, Any]] = {
    "hub_round_small": viewport(480, 480, shape="ROUND"),  # Echo Spot
    "hub_landscape_small": viewport(960, 480),  # Echo Show 5
    "hub_landscape_medium": viewport(1024, 600),  # Echo Show (1st and 2nd generation)
    "hub_landscape_large": viewport(1280, 800),  # Echo Show 8, 10
    "hub_landscape_xlarge": viewport(1920, 1080),  # Echo Show 15, 21
    "tv_landscape_xlarge": viewport(1920, 1080, mode="TV", dpi=320),  # Fire TV
}
