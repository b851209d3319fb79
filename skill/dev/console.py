"""`python -m skill chat`: type what you would say to Alexa, read what it answers.

Each line is matched against the interaction model's own samples, sent to the
skill as a real Alexa request (session attributes carried between turns, as
Alexa does), and the answer is printed with pauses shown as `[3 s]`. Progress
is kept in the embedded store, so it survives between runs; `--fresh` forgets it
first, `--forget` forgets it and leaves (`make reset`).

Input can be typed (Ctrl-D, or an empty line twice, leaves) or piped in (read to
the end; empty lines are skipped).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import TextIO

from ask_sdk_core.skill import CustomSkill
from ask_sdk_model.services.api_client import ApiClient
from ask_sdk_model.services.api_client_request import ApiClientRequest
from ask_sdk_model.services.api_client_response import ApiClientResponse

from skill.alexa.api_client import AlexaApiClient
from skill.alexa.app import build_skill, invoke
from skill.alexa.envelopes import Conversation
from skill.alexa.timezone import valid_zone
from skill.config import config
from skill.conversation.clock import DEFAULT_ZONE
from skill.dev.utterances import matcher, phrases
from skill.speech import ssml
from skill.speech.copy import DEFAULT_LOCALE, SUPPORTED_LOCALES

CONSOLE_USER = "amzn1.ask.account.local-console"
CONSOLE_DEVICE = "amzn1.ask.device.local-console"
# Without --zone there is no device to ask: the API client refuses a loopback address
# at once (not an Alexa host) and the skill falls back to the stored zone, else
# DEFAULT_TIME_ZONE (this machine's by default).
NO_SETTINGS_API = "https://127.0.0.1:1"
CONSOLE_SETTINGS_API = "https://console.invalid"  # answered in-process by ConsoleDevice
BANNER = (
    "Type what you would say to Alexa, for example: start my foot routine\n"
    "Then: next, repeat, slower, help, how many days have I completed, stop.\n"
    "Ctrl-D (or an empty line twice) leaves.\n"
)
NO_AUDIO = "(No audio device was found, so --speak is off; the words are still shown.)"


def machine_zone() -> str:
    """This machine's IANA zone name, or DEFAULT_ZONE."""
    if os.environ.get("TZ", "").count("/"):
        return os.environ["TZ"].lstrip(":")
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
        return Path("/etc/timezone").read_text().strip() or DEFAULT_ZONE
    except OSError:
        return DEFAULT_ZONE


class ConsoleDevice(ApiClient):
    """The console plays the device: the Settings API answers with the zone typed in --zone.

    The skill reads the zone through the real ASK service client, as on a device, so
    the typed zone wins over a stored one, exactly as a device's setting does.
    """

    def __init__(self, zone: str) -> None:
        self.zone = zone

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        url = request.url or ""
        if request.method == "GET" and url.endswith(
            f"/v2/devices/{CONSOLE_DEVICE}/settings/System.timeZone"
        ):
            status, body = 200, json.dumps(self.zone)
        else:
            status, body = 404, json.dumps({"message": "the console answers the time zone only"})
        return ApiClientResponse(
            headers=[("Content-Type", "application/json")], status_code=status, body=body
        )


class Console:
    def __init__(
        self,
        out: TextIO,
        speak: bool = False,
        locale: str = DEFAULT_LOCALE,
        zone: str | None = None,
    ) -> None:
        self.out, self.speak = out, speak
        device: ApiClient = ConsoleDevice(zone) if zone else AlexaApiClient()
        self.skill: CustomSkill = build_skill(api_client=device)
        self.talk = Conversation(
            user_id=CONSOLE_USER,
            device_id=CONSOLE_DEVICE,
            locale=locale,
            api_endpoint=CONSOLE_SETTINGS_API if zone else NO_SETTINGS_API,
        )

    def say(self, line: str) -> str:
        """One typed line -> what Alexa says (empty when nothing is said)."""
        heard = matcher(self.talk.locale).match(line)
        if heard.kind == "launch":
            request = self.talk.launch()
        else:
            if heard.one_shot or not self.talk.in_session:
                self.talk.end()  # a new session, straight to the intent
            assert heard.intent is not None
            request = self.talk.intent(heard.intent, heard.slots)
        response = invoke(self.skill, request)
        self.talk.receive(response)
        speech = (response.get("response") or {}).get("outputSpeech") or {}
        text = ssml.to_text(speech.get("ssml", ""))
        if text:
            self.out.write(f"Alexa: {text}\n")
            if self.speak:
                self.voice(speech.get("ssml", ""))
        if not self.talk.in_session:
            self.out.write("(session ended)\n")
        return text

    def voice(self, document: str) -> None:
        from skill.speech.audio import AudioToolMissing, espeak_command
        from skill.speech.copy import copy_for

        try:
            espeak = espeak_command(copy_for(self.talk.locale).voice)
        except AudioToolMissing as error:
            self.out.write(f"({error})\n")
            self.speak = False
            return
        # espeak-ng exits 0 even with no sound device, and reports it (ALSA's lines) on
        # stderr, once per call: anything there means nothing was heard, so say it once.
        done = subprocess.run(
            [*espeak, ssml.merge_breaks(document)], capture_output=True, check=False
        )
        if done.returncode != 0 or done.stderr.strip():
            self.out.write(NO_AUDIO + "\n")
            self.speak = False

    def forget(self) -> None:
        """Delete the console's stored progress, as disabling the skill does."""
        invoke(self.skill, self.talk.skill_disabled())

    def leave(self) -> None:
        if self.talk.in_session:
            invoke(self.skill, self.talk.session_ended("USER_INITIATED"))


def quiet_logs() -> None:
    """The console shows the conversation; only real errors go to stderr."""
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s %(message)s")
    logging.getLogger("skill").setLevel(logging.ERROR)


def zone_name(text: str) -> str:
    try:
        return valid_zone(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time zone name; use an IANA name such as Europe/London"
        ) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m skill chat",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--speak", action="store_true", help="also speak through espeak-ng")
    parser.add_argument("--locale", default=DEFAULT_LOCALE, choices=SUPPORTED_LOCALES)
    parser.add_argument(
        "--zone",
        type=zone_name,
        default=None,
        help="the device's time zone; wins over a stored one (default: the stored zone, "
        "else DEFAULT_TIME_ZONE, else this machine's)",
    )
    start = parser.add_mutually_exclusive_group()
    start.add_argument(
        "--fresh", action="store_true", help="forget the stored progress first, then talk"
    )
    start.add_argument("--forget", action="store_true", help="forget the stored progress and leave")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # When the person typed no zone and the device can't be asked, the skill's own
    # fallback (DEFAULT_TIME_ZONE) is this machine's zone unless they set it.
    os.environ.setdefault("DEFAULT_TIME_ZONE", machine_zone())
    config.cache_clear()
    quiet_logs()
    console = Console(sys.stdout, speak=args.speak, locale=args.locale, zone=args.zone)
    if args.fresh or args.forget:
        console.forget()
        print(f"Progress forgotten ({describe_store()}).")
        if args.forget:
            return 0
    interactive = sys.stdin.isatty()
    if interactive:
        print(phrases(args.locale.split("-")[0]).banner or BANNER)
    try:
        talk(console, interactive)
    except KeyboardInterrupt:
        print()
    finally:
        console.leave()
    return 0


def talk(console: Console, interactive: bool) -> None:
    blank = 0
    while True:
        try:
            line = input("You: " if interactive else "")
        except EOFError:
            if interactive:
                print()  # Ctrl-D: leave the shell prompt on a line of its own
            return
        if not line.strip():
            blank += 1
            if interactive and blank >= 2:
                return
            continue
        blank = 0
        if not interactive:
            print(f"You: {line}")
        console.say(line)


def describe_store() -> str:
    settings = config()
    if settings.progress_table:
        return f"DynamoDB table {settings.progress_table}"
    return str(settings.progress_db)
