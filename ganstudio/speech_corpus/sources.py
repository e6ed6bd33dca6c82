"""Real recorded speech on a Debian system: Asterisk's studio prompts (5 speakers, 8 kHz) and KLettres (≈20 speakers,
44.1 kHz letters and syllables). A speaker is a (source, language) pair; held-out speakers never reach training."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ASTERISK = Path("/usr/share/asterisk/sounds")
KLETTRES = Path("/usr/share/klettres")
ASTERISK_SPEAKERS = ("en_US_f_Allison", "es_MX_f_Allison", "fr_CA_f_June", "it_IT_m_Carlo", "ru_RU_f_IvrvoiceRU")
# Evaluation speakers: four KLettres languages (wide-band recordings) and the only male Asterisk voice.
HELD_OUT_SPEAKERS = frozenset({"klettres-en", "klettres-fr", "klettres-de", "klettres-pt_BR", "asterisk-it_IT_m_Carlo"})


@dataclass(frozen=True)
class Speaker:
    name: str  # e.g. "klettres-fr"
    files: tuple[Path, ...]
    joined: bool  # short clips (letters, syllables) that are concatenated into sentence-length utterances
    rate: int  # the recordings' own rate (8 kHz prompts are band-limited: they must not dominate the corpus)

    @property
    def held_out(self) -> bool:
        return self.name in HELD_OUT_SPEAKERS


def real_speakers() -> list[Speaker]:
    speakers = []
    for folder in ASTERISK_SPEAKERS:
        files = tuple(sorted((ASTERISK / folder).rglob("*.wav"))) if (ASTERISK / folder).is_dir() else ()
        if files:
            speakers.append(Speaker(f"asterisk-{folder}", files, False, 8000))
    if KLETTRES.is_dir():
        for lang in sorted(d for d in KLETTRES.iterdir() if d.is_dir()):
            files = tuple(sorted(lang.rglob("*.ogg")))
            if files:
                speakers.append(Speaker(f"klettres-{lang.name}", files, True, 44100))
    return speakers


def missing_packages() -> list[str]:
    """Debian packages the builder would use that are not installed (a smaller corpus is still built without them)."""
    checks = {"asterisk-core-sounds-en-wav": ASTERISK / "en_US_f_Allison", "klettres-data": KLETTRES,
              "openttd-opensfx": Path("/usr/share/games/openttd/baseset/opensfx/opensfx.cat")}
    from ganstudio.speech_corpus import sound_packs

    return [pkg for pkg, path in checks.items() if not path.exists()] + sound_packs.missing_packages()
