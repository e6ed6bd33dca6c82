"""What `make-speech-corpus` checks before building, shared by the CLI and the Train page's dialog: which Debian
packages are missing (a smaller corpus is still built) and whether there is any speech at all (none: nothing to build)."""

from __future__ import annotations

from ganstudio.core.errors import DataError
from ganstudio.speech_corpus import sources, tts

PACKAGES = ("asterisk-core-sounds-en-wav asterisk-core-sounds-es-wav asterisk-core-sounds-fr-wav "
            "asterisk-core-sounds-it-wav asterisk-core-sounds-ru-wav klettres-data openttd-opensfx flite espeak-ng "
            "festival festvox-us-slt-hts festvox-kallpc16k lincity-ng-data minetest-data extremetuxracer-data")
INSTALL_COMMAND = f"sudo apt-get install {PACKAGES}"


def install_note() -> str:
    """"" when every source the full corpus uses is installed, else what to install (cheap: a few stat calls)."""
    if sources.missing_packages() or not tts.available_voices():
        return f"for the full corpus install: {INSTALL_COMMAND}"
    return ""


def has_speech() -> bool:
    """Any recorded speaker or TTS voice: without one there is nothing to build (lists the speakers' files)."""
    return bool(sources.real_speakers() or tts.available_voices())


def require_speech() -> None:
    if not has_speech():
        raise DataError("No speech sources found: none of Debian's speech recordings or TTS engines is installed.",
                        "Install some, then try again: e.g. sudo apt-get install flite espeak-ng klettres-data "
                        "(`ganstudio make-speech-corpus` prints the full list).")

