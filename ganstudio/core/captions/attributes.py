"""What a caption may say about a flower photo, measured from its pixels (at 64×64, after a light blur).

- Colours: every pixel gets a name from fixed HSV rules (pixels.py): white/yellow/orange/red/pink/purple can be
  petals; green/blue/brown/grey/black cannot.
- Petal colour: petal-coloured pixels vote, weighted by a centre prior (Gaussian, σ = 0.35 of the side) × how
  unlike the frame's border they are (Lab distance to the 5th-nearest border pixel). A second colour is named
  when it has half the leader's votes, does not line the frame and is not enclosed by the first (a sunflower's
  ring). White that lines the frame gives way to the runner-up (sky, paper, a wall).
- Centre (shapes.py): a roundish blob of dark/brown/yellow/orange/green pixels ringed by petals all round; a
  yellow disc ringed by white makes white the petal colour even when yellow outvoted it.
- Count (shapes.py): connected flower regions and separated peaks of the distance transform must agree; "one"
  only when the frame cuts the flower on at most one side. Close-up: the largest flower's inscribed disc has a
  radius ≥ 13 px (about 40% of the frame across).
- Background: sky (blue, bright, upper half, along the top edge), foliage (green), brown and dark, each when it
  covers enough of what lies outside the flower and also lines the frame; "blurred" when that area is smooth.
Limits: colour decides everything. Other flowers in the photo lend it their colour (purple asters beside orange
roses), a yellow centre cut by the frame can pass for yellow petals, a field of touching flowers has no count, and
white petals before a white sky merge with it. By eye, 34 of 40 random photos had every stated fact right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from ganstudio.core.captions.pixels import (ID, SIZE, border_contrast, border_share, centre_prior, hsv, pixel_names,
                                            prepare)
from ganstudio.core.captions.shapes import centre_disc, centre_name, count_flowers, largest_radius

PETAL_COLOURS = ("white", "yellow", "orange", "red", "pink", "purple")
CENTRE_COLOURS = ("dark", "brown", "yellow", "orange", "green")
BACKGROUNDS = ("sky", "foliage", "brown", "dark")
COUNTS = ("one", "a few", "many")
CLOSE_UP_RADIUS = 13.0  # px at 64×64: the largest flower is at least ~40% of the frame across
_PETAL = {name: i for i, name in enumerate(PETAL_COLOURS)}


@dataclass(frozen=True)
class PhotoFacts:
    petal_colours: tuple[str, ...]  # 0–2 of PETAL_COLOURS, strongest first; empty when no flower colour stands out
    centre_colour: str | None  # one of CENTRE_COLOURS when a distinct centre disc is seen
    background: tuple[str, ...]  # 0–2 of BACKGROUNDS, largest share first
    blurred_background: bool
    count: str | None  # one of COUNTS, or None when the two estimates disagree
    close_up: bool
    flower_share: float  # fraction of the frame the flower mask covers (for reports, not captions)


def measure(rgb: np.ndarray) -> PhotoFacts:
    """uint8 (H, W, 3) RGB photo, H, W ≥ 16 → its PhotoFacts."""
    img = prepare(rgb)
    h, s, v = hsv(img)
    names = pixel_names(h, s, v)
    weights = centre_prior() * (0.2 + 0.8 * border_contrast(img))
    votes = _petal_votes(names, weights)
    if votes.sum() < 0.04 * weights.sum():
        return PhotoFacts((), None, _background(names, h, s, v, np.zeros(names.shape, bool)), False, None, False, 0.0)
    colours, centre, disc = _petals_and_centre(names, h, s, v, votes)
    mask = _flower_mask(names, colours) | disc
    count = count_flowers(mask)
    close_up = largest_radius(mask) >= CLOSE_UP_RADIUS and count != "many"
    # A brown "background" beside a brown centre is most often the rest of that centre, cut by the frame.
    background = tuple(b for b in _background(names, h, s, v, mask) if b != centre)
    return PhotoFacts(colours, centre, background, _blurred(v, mask), count, close_up, round(float(mask.mean()), 3))


# ---- the flower -----------------------------------------------------------------------------------------------------
def _petal_votes(names: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return np.array([weights[names == ID[c]].sum() for c in PETAL_COLOURS])


def _petals_and_centre(names: np.ndarray, h: np.ndarray, s: np.ndarray, v: np.ndarray,
                       votes: np.ndarray) -> tuple[tuple[str, ...], str | None, np.ndarray]:
    """The petal colour(s) and the centre disc. A yellow disc ringed by white petals can outvote them (the centre
    prior favours it), so the runner-up is tried as the petal colour too when the leader is the other's centre."""
    order = [PETAL_COLOURS[i] for i in np.argsort(-votes, kind="stable")]
    first, second = order[0], order[1]
    # White lining the frame is mostly sky, paper or a wall; a close-up daisy is rescued below by its yellow disc.
    white_backdrop = border_share(names, "white") >= 0.35
    if first == "white" and white_backdrop and votes[_PETAL[second]] >= 0.25 * votes[_PETAL["white"]]:
        first, second = second, first
    # A second colour that also lines the frame is more likely sky, wall or a backdrop than petals.
    # Above the flowers, white is a cloud or a wall: a second white must not fill the top edge either.
    has_second = (votes[_PETAL[second]] >= 0.5 * votes[_PETAL[first]] and border_share(names, second) < 0.25
                  and (names[:3] == ID[second]).mean() < 0.3)
    disc = np.zeros(names.shape, bool)
    if votes[_PETAL[second]] >= 0.15 * votes[_PETAL[first]]:
        ringed = centre_disc(names, second)  # is the leader (mostly) a disc ringed by the runner-up's petals?
        leader = names == ID[first]
        if ringed.any() and (leader[ringed].mean() > 0.5 or (leader & ringed).sum() >= 0.5 * leader.sum()):
            first, second, disc, has_second = second, first, ringed, False
    if not disc.any():
        disc = centre_disc(names, first)
    centre = centre_name(h[disc], s[disc], v[disc]) if disc.any() else None
    if centre == first:
        centre, disc = None, np.zeros_like(disc)  # a shade of the petals themselves, not a distinct centre
    if centre == second or (has_second and _enclosed_share(names, first, second) >= 0.5):
        has_second = False  # a daisy's yellow disc or a sunflower's purple ring is inside the flower, not petals
    return ((first, second) if has_second else (first,)), centre, disc


def _enclosed_share(names: np.ndarray, outer: str, inner: str) -> float:
    """The share of `inner` pixels lying in holes of the `outer` colour's regions."""
    around = ndimage.binary_closing(names == ID[outer], iterations=1) | (names == ID[outer])
    holes = ndimage.binary_fill_holes(around) & ~around
    own = names == ID[inner]
    return float((holes & own).sum() / max(own.sum(), 1))


def _flower_mask(names: np.ndarray, colours: tuple[str, ...]) -> np.ndarray:
    mask = np.isin(names, [ID[c] for c in colours])
    mask = ndimage.binary_opening(mask, iterations=1)  # drops specks of petal colour in the background
    return ndimage.binary_closing(mask, iterations=1, border_value=0) | mask


# ---- the background -------------------------------------------------------------------------------------------------
def _background(names: np.ndarray, h: np.ndarray, s: np.ndarray, v: np.ndarray,
                flower: np.ndarray) -> tuple[str, ...]:
    """Up to two of BACKGROUNDS, largest first: each covers enough of what lies outside the flower and lines the
    frame (brown or dark enclosed by petals is a centre or a shadow, not a background)."""
    around = ~ndimage.binary_dilation(flower, iterations=2)
    total = around.sum()
    if total < 0.15 * SIZE * SIZE:
        return ()  # the flower (nearly) fills the frame: what is left is as likely a shadow or centre as background
    pale_blue = (h >= 190) & (h < 250) & (s >= 0.08) & (v >= 0.65)  # hazy sky reads white or grey pixel by pixel
    blue = around & (((names == ID["blue"]) & (v >= 0.45)) | pale_blue)
    # Sky is above: at least half in the upper half and along the top edge (blue lower down is water or shade).
    if blue[: SIZE // 2].sum() < 0.5 * max(blue.sum(), 1) or blue[:3].mean() < 0.2:
        blue = np.zeros_like(blue)
    kinds = {"sky": blue, "foliage": names == ID["green"], "brown": names == ID["brown"], "dark": names == ID["black"]}
    floors = {"sky": 0.2, "foliage": 0.35, "brown": 0.35, "dark": 0.45}
    edge = np.ones_like(around)
    edge[2:-2, 2:-2] = False
    shares = {k: (kinds[k] & around).sum() / total for k in BACKGROUNDS}
    found = [k for k in BACKGROUNDS if shares[k] >= floors[k] and (kinds[k] & edge).sum() >= 0.2 * edge.sum()]
    return tuple(sorted(found, key=lambda k: -shares[k])[:2])


def _blurred(v: np.ndarray, flower: np.ndarray) -> bool:
    """Little fine detail (mean |∇value| over the background) means an out-of-focus or plain background."""
    around = ~ndimage.binary_dilation(flower, iterations=3)
    if around.sum() < 0.15 * SIZE * SIZE:
        return False
    grad = np.hypot(ndimage.sobel(v, 0), ndimage.sobel(v, 1))
    return bool(grad[around].mean() < 0.12)
