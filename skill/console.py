"""`python -m skill chat`: type what you would say to Alexa, read what it answers.

Each line is matched against the interaction model's own samples, sent to the
skill as a real Alexa request (session attributes carried between turns, as
Alexa does), and the answer is printed with pauses shown as `[3 s]`. Progress
is kept in the embedded store, so it survives between runs. The device's time
zone is this machine's (there is no device to ask).
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import TextIO

from skill.alexa.app import get_skill, handle, reset
from skill.alexa.requests import Conversation
from skill.alexa.utterances import matcher
from skill.speech import ssml

CONSOLE_USER = "amzn1.ask.account.local-console"
CONSOLE_DEVICE = "amzn1.ask.device.local-console"
# There is no device, so no Settings API: a closed loopback port fails at once and
# the skill falls back to DEFAULT_TIME_ZONE, which the console sets to this machine's.
NO_SETTINGS_API = "https://127.0.0.1:1"
BANNER = (
    "Type what you would say to Alexa, for example: start my foot routine\n"
    "Then: next, repeat, slower, help, how many days have I completed, stop.\n"
    "Ctrl-D (or an empty line twice) leaves.\n"
)


def machine_zone() -> str:
    """This machine's IANA zone name, or UTC."""
    if os.environ.get("TZ", "").count("/"):
        return os.environ["TZ"].lstrip(":")
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
        return Path("/etc/timezone").read_text().strip() or "UTC"
    except OSError:
        return "UTC"


class Console:
    def __init__(self, out: TextIO, speak: bool = False, locale: str = "en-US"):
        self.out, self.speak = out, speak
        self.talk = Conversation(
            user_id=CONSOLE_USER,
            device_id=CONSOLE_DEVICE,
            locale=locale,
            api_endpoint=NO_SETTINGS_API,
        )

    def say(self, line: str) -> str:
        """One typed line -> what Alexa says (empty when nothing is said)."""
        heard = matcher().match(line)
        if heard.kind == "launch":
            request = self.talk.launch()
        else:
            if heard.one_shot or not self.talk.in_session:
                self.talk.end()  # a new session, straight to the intent
            assert heard.intent is not None
            request = self.talk.intent(heard.intent, heard.slots)
        response = handle(request)
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
        from skill.speech.audio import AudioToolMissing, require

        try:
            espeak = require("espeak-ng")
        except AudioToolMissing as error:
            self.out.write(f"({error})\n")
            self.speak = False
            return
        subprocess.run([espeak, "-m", ssml.merge_breaks(document)], check=False)

    def leave(self) -> None:
        if self.talk.in_session:
            handle(self.talk.session_ended("USER_INITIATED"))


def quiet_logs() -> None:
    """The console shows the conversation; only real errors go to stderr."""
    reset()
    get_skill()
    logging.getLogger("skill").setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skill chat", description=__doc__)
    parser.add_argument("--speak", action="store_true", help="also speak through espeak-ng")
    parser.add_argument("--locale", default="en-US")
    parser.add_argument(
        "--zone", default=None, help="the device's time zone (default: this machine's)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DEFAULT_TIME_ZONE", args.zone or machine_zone())
    quiet_logs()
    console = Console(sys.stdout, speak=args.speak, locale=args.locale)
    interactive = sys.stdin.isatty()
    if interactive:
        print(BANNER)
    blank = 0
    try:
        while True:
            try:
                line = input("You: " if interactive else "")
            except EOFError:
                break
            if not line.strip():
                blank += 1
                if blank >= 2:
                    break
                continue
            blank = 0
            if not interactive:
                print(f"You: {line}")
            console.say(line)
    except KeyboardInterrupt:
        print()
    finally:
        console.leave()
    return 0
