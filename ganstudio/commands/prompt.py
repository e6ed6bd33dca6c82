"""`ganstudio prompt "TEXT" [--model M] --n N --out FILE.png [--seed S] [--tiles]`: a grid of N flowers for a prompt,
and `--interpolate "TEXT B" --frames K --out FILE.gif`: an animated sweep from one prompt to the other (GAN-INT), each
frame the N-image grid under that mix of the two embeddings. What was done with the text goes to stderr as notes."""

from __future__ import annotations

import os
import sys
import unicodedata
from pathlib import Path

from ganstudio.core.errors import StudioError

MAX_IMAGES = 1024  # per grid: more would not be looked at, and a GIF of them would take gigabytes
MAX_FRAMES = 300
BATCH = 256  # z's per generator call: a 64×64 generator on thousands at once would need gigabytes
SHOWN_UNKNOWN = 8  # unknown words named one by one; the rest are counted


def add_parser(sub) -> None:
    p = sub.add_parser("prompt", help="write a grid of flowers for a text prompt (or a GIF between two prompts)")
    p.add_argument("text", help="the prompt, e.g. \"a red rose with green leaves\"")
    p.add_argument("--model", help="text-to-image model folder, run folder or installed name (default: the shipped one)")
    p.add_argument("--n", type=int, default=16, help="images per grid (default 16)")
    p.add_argument("--out", required=True, help="FILE.png (a grid), or FILE.gif with --interpolate")
    p.add_argument("--seed", type=int, default=0, help="seed of the z's: the same seed gives the same flowers")
    p.add_argument("--tiles", action="store_true", help="also write each image alone as FILE-0.png, FILE-1.png, …")
    p.add_argument("--interpolate", metavar="TEXT_B", help="sweep from TEXT to TEXT_B (GAN-INT) and write a GIF")
    p.add_argument("--frames", type=int, help="frames of the --interpolate sweep (default 16)")
    p.add_argument("--frame-ms", type=int, default=120, help="display time of a GIF frame in ms (default 120)")
    p.set_defaults(func=run)


# ---- checks before anything is loaded ----------------------------------------------------------------------------
def check_args(args) -> tuple[Path, int]:
    """The output path and the frame count (0 without --interpolate); StudioError for anything unusable."""
    if not 1 <= args.n <= MAX_IMAGES:
        raise StudioError(f"--n {args.n}: a grid holds 1 to {MAX_IMAGES:,} images.", "Ask for, e.g., --n 16.")
    gif = args.interpolate is not None
    if args.frames is not None and not gif:
        raise StudioError("--frames is the length of an --interpolate sweep.",
                          'Add --interpolate "TEXT B", or leave out --frames.')
    frames = (16 if args.frames is None else args.frames) if gif else 0
    if gif and not 2 <= frames <= MAX_FRAMES:
        raise StudioError(f"--frames {frames}: an interpolation has 2 to {MAX_FRAMES} frames.",
                          "Ask for, e.g., --frames 16.")
    if gif and args.tiles:
        raise StudioError("--tiles writes the images of one grid; an --interpolate sweep is a GIF.",
                          "Leave out --tiles, or run once without --interpolate.")
    if args.frame_ms < 10:
        raise StudioError(f"--frame-ms {args.frame_ms} is shorter than GIF viewers show (10 ms).", "Use 10 or more.")
    out = Path(args.out).expanduser()
    wanted = ".gif" if gif else ".png"
    if out.suffix.lower() != wanted:
        raise StudioError(f"{out.name}: {'an interpolation is written as a GIF' if gif else 'the grid is written as a PNG'}.",
                          f"Name the output FILE{wanted}.")
    check_writable(out)
    return out, frames


def check_writable(out: Path) -> None:
    """Refuse early (before a model loads and images are made) an output that cannot be written."""
    if out.is_dir():
        raise StudioError(f"{out} is a folder.", f"Give a file name, e.g. {out / ('prompt' + out.suffix)}.")
    folder = out.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # atomic_file makes missing folders: the nearest existing one must take them
    if not folder.is_dir():
        raise StudioError(f"Cannot write {out}: {folder} is a file, not a folder.", "Choose another output path.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StudioError(f"Cannot write to {folder}: permission denied.", "Choose a folder you can write to.")


# ---- what was done with the text ---------------------------------------------------------------------------------
def prompt_notes(session, text: str) -> list[str]:
    """Notes for stderr: text cut or empty, symbols (emoji) ignored, words the model never read in training."""
    from ganstudio.core.text.tokenizers import words_of
    from ganstudio.ml.inference.prompt import clean_prompt

    read, notes = clean_prompt(text)
    symbols = [c for c in read if unicodedata.category(c)[0] in "SC"]
    if symbols:
        shown = "".join(dict.fromkeys(symbols))[:8]
        many = len(symbols) > 1
        notes.append(f"{len(symbols)} symbol{'s' if many else ''} ({shown}) {'carry' if many else 'carries'} no words: "
                     f"ignored.")
    unknown = session.unknown_words(read)
    letter_by_letter = getattr(session.encoder.tokenizer, "kind", "") == "char"
    how = "it is read letter by letter" if letter_by_letter else "it is read as an unknown word"
    notes += [f"'{word}' is not in this model's vocabulary; {how}." for word in unknown[:SHOWN_UNKNOWN]]
    if len(unknown) > SHOWN_UNKNOWN:
        notes.append(f"… and {len(unknown) - SHOWN_UNKNOWN} more words not in this model's vocabulary.")
    words = words_of(read)
    if words and len(set(words)) == len(set(unknown)):
        notes.append("No word of the prompt is in this model's vocabulary: these flowers follow no named flower or "
                     "colour. `ganstudio prompt` with, e.g., \"a yellow sunflower\" uses words it knows.")
    return notes


# ---- writing -----------------------------------------------------------------------------------------------------
def png_bytes(image) -> bytes:
    import io

    from ganstudio.core.image_data.images import to_pil

    buf = io.BytesIO()
    to_pil(image).save(buf, format="PNG")
    return buf.getvalue()


def gif_bytes(frames, frame_ms: int) -> bytes:
    """An endlessly looping GIF of uint8 (H, W, 3) frames. The GIF format (Pillow) stores a frame identical to the
    one before it as a longer display of that one: the animation's timing is the same, its frame count smaller."""
    import io

    from ganstudio.core.image_data.images import to_pil

    images = [to_pil(f) for f in frames]
    buf = io.BytesIO()
    images[0].save(buf, format="GIF", save_all=True, append_images=images[1:], duration=frame_ms, loop=0)
    return buf.getvalue()


def gif_frame_count(data: bytes) -> int:
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as gif:
        return int(gif.n_frames)


def write_all(files: dict[Path, bytes]) -> None:
    """Every file written to a temp file beside it first; they are renamed into place only when all were written,
    so a failure (disk full, permission) leaves none of them half-written."""
    import contextlib

    from ganstudio.core.atomic import atomic_file

    with contextlib.ExitStack() as stack:
        for path, data in files.items():
            stack.enter_context(atomic_file(path)).write_bytes(data)


def tile_paths(out: Path, n: int) -> list[Path]:
    return [out.with_name(f"{out.stem}-{i}{out.suffix}") for i in range(n)]


def generate(session, text: str, z):
    import numpy as np

    emb = session.embed(text)
    return np.concatenate([session.generate(emb, z[i:i + BATCH]) for i in range(0, len(z), BATCH)])


def run(args) -> int:
    from ganstudio.core.grid import tile
    from ganstudio.ml.inference.prompt import PromptSession, clean_prompt

    out, frames = check_args(args)
    session = PromptSession.load(args.model)
    texts = [args.text] + ([args.interpolate] if frames else [])
    for label, text in zip(("A: ", "B: ") if frames else ("",), texts):
        for note in prompt_notes(session, text):
            print(f"note: {label}{note}", file=sys.stderr)
    z = session.sample_z(args.n, args.seed)
    read = [clean_prompt(t)[0] for t in texts]
    if frames:
        sweep = session.interpolate(args.text, args.interpolate, frames, z)
        data = gif_bytes([tile(images) for images in sweep], args.frame_ms)
        write_all({out: data})
        stored = gif_frame_count(data)
        if stored < frames:
            print(f"note: {frames - stored} frames were the same as the one before them (the two prompts make "
                  f"alike flowers there); the GIF shows each such run as one longer frame", file=sys.stderr)
        print(f'wrote {frames} frames of {args.n} images from "{read[0]}" to "{read[1]}" to {out}')
        return 0
    images = generate(session, args.text, z)
    files = {out: png_bytes(tile(images))}
    if args.tiles:
        files.update({path: png_bytes(image) for path, image in zip(tile_paths(out, args.n), images)})
    write_all(files)
    print(f'wrote {args.n} images for "{read[0]}" from {session.manifest.title} to {out}')
    if args.tiles:
        print(f"wrote {args.n} tiles {tile_paths(out, 1)[0].name} … {tile_paths(out, args.n)[-1].name}")
    return 0
