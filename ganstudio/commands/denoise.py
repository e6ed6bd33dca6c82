"""`ganstudio denoise [--model M] --input NOISY --output CLEAN.wav`: denoise a recording with a SEGAN, headless.

Any WAV/FLAC/OGG is converted to 16 kHz mono; files of any length stream block by block with a progress bar.
"""

from __future__ import annotations

import sys


def add_parser(sub) -> None:
    p = sub.add_parser("denoise", help="denoise a speech recording with a SEGAN model (the shipped one by default)")
    p.add_argument("--model", help="denoiser model folder, run folder or installed name (default: the shipped one)")
    p.add_argument("--input", required=True, help="noisy recording (WAV, FLAC or OGG; any rate, any channels)")
    p.add_argument("--output", required=True, help="WAV to write (16 kHz mono, 16-bit)")
    p.add_argument("--strength", type=float, default=1.0, help="1: fully denoised; 0: the original; in between: a blend")
    p.add_argument("--window", type=int, help="frame length in samples (default: the model's training window)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def default_denoiser():
    from ganstudio.core.catalog import installed_models
    from ganstudio.core.errors import ModelFileError

    shipped = [e for e in installed_models("denoiser") if e.shipped] or installed_models("denoiser")
    if not shipped:
        raise ModelFileError("No denoiser model is installed.", "Reinstall ganstudio, or pass --model FOLDER.")
    return shipped[0].path


def run(args) -> int:
    import time
    from pathlib import Path

    from ganstudio.audio.processor import BlendProcessor
    from ganstudio.core.atomic import clean_stale_temp_files
    from ganstudio.core.speech.audio_files import audio_duration, iter_audio_blocks, read_audio, write_audio_stream
    from ganstudio.core.speech.framing import process_stream
    from ganstudio.core.speech.input_check import InputCheck
    from ganstudio.core.progress import ProgressBar
    from ganstudio.ml.inference.denoiser import DenoiserSession
    from ganstudio.ml.inference.generator import resolve_model

    if not 0.0 <= args.strength <= 1.0:
        print("error: --strength must be between 0 and 1", file=sys.stderr)
        return 2
    session = DenoiserSession.load(resolve_model(args.model) if args.model else default_denoiser(), args.window)
    for note in read_audio_notes(args.input):
        print(f"note: {note}")
    removed = clean_stale_temp_files(Path(args.output).parent)  # e.g. a 20 MB hidden .tmp of a killed denoise
    if removed:
        print(f"note: removed {removed} unfinished temp file{'s' if removed != 1 else ''} of an interrupted save "
              f"from {Path(args.output).parent}")
    check = InputCheck()
    seconds = audio_duration(args.input)
    bar = None if args.quiet else ProgressBar(max(1, int(seconds)))
    started, done = time.perf_counter(), 0

    def blocks():
        nonlocal done
        samples = iter_audio_blocks(args.input, session.rate, check=check)
        for block in process_stream(samples, BlendProcessor(session, args.strength)):
            done += block.size
            if bar:
                elapsed = time.perf_counter() - started
                bar.update(int(done / session.rate), done / session.rate / max(elapsed, 1e-9), "s of audio")
            yield block

    written = write_audio_stream(args.output, blocks(), session.rate)
    if bar:
        bar.close()
    for note in check.notes():  # what the samples held is known only once all were read
        print(f"note: {note}")
    elapsed = time.perf_counter() - started
    print(f"wrote {written / session.rate:.1f} s denoised by {session.title} to {args.output} "
          f"(real-time factor {elapsed / max(written / session.rate, 1e-9):.3f})")
    return 0


def read_audio_notes(path: str) -> list[str]:
    """What conversion the file needs and whether it is cut short, said before the work starts (from its header)."""
    import soundfile

    from ganstudio.core.speech.audio_files import conversion_notes
    from ganstudio.core.speech.input_check import truncation_note
    from ganstudio.core.errors import DataError

    try:
        info = soundfile.info(path)
    except (RuntimeError, OSError, soundfile.LibsndfileError) as err:
        raise DataError(f"{path} cannot be read as audio ({err}).", "Open a WAV, FLAC or OGG file.") from err
    cut = truncation_note(info)
    return conversion_notes(info.samplerate, info.channels, 16000) + ([cut] if cut else [])
