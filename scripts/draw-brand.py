"""Draw the integration's brand images into custom_components/kraken_energy/brand/.

Home Assistant (2026.3 and later) serves a custom integration's own brand/ folder at
/api/brands/integration/<domain>/<image>. Sizes follow the brands repository's rules: icons
square, 256 px and 512 px for @2x; logos landscape with the short side 256 px (512 px for @2x);
PNG with a transparent background, trimmed to the artwork. Run again after changing the drawing:

    .venv/bin/python scripts/draw-brand.py
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = Path(__file__).resolve().parent.parent / "custom_components" / "kraken_energy" / "brand"
# Drawn this many times larger, then scaled down: Pillow draws shapes without anti-aliasing.
SUPERSAMPLE = 4
DISC = (46, 49, 146, 255)
BOLT = (255, 200, 40, 255)
WAVE = (120, 214, 224, 255)
TEXT_LIGHT_BACKGROUND = (33, 33, 52, 255)
TEXT_DARK_BACKGROUND = (236, 238, 245, 255)

# The bolt as points on a 100 x 100 grid (the disc's bounding box).
BOLT_POINTS = [(56, 8), (26, 56), (46, 56), (38, 92), (74, 40), (53, 40), (62, 8)]


def draw_mark(size: int) -> Image.Image:
    """The round mark: a lightning bolt over a wave on a dark disc, edge to edge."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, big - 1, big - 1), fill=DISC)
    scale = big / 100
    # A wave beneath the bolt: a supply's flow, kept inside the disc.
    wave = [(x * scale, (76 + 5 * math.sin(x / 76 * 3 * math.pi)) * scale) for x in range(14, 87)]
    draw.line(wave, fill=WAVE, width=round(5 * scale), joint="curve")
    draw.polygon([(x * scale, y * scale) for x, y in BOLT_POINTS], fill=BOLT)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def draw_logo(height: int, text_colour: tuple[int, int, int, int]) -> Image.Image:
    """The mark beside the name, trimmed to the artwork."""
    font = ImageFont.load_default(size=round(height * 0.42))
    mark = draw_mark(height)
    gap = round(height * 0.18)
    left, top, right, bottom = font.getbbox("Kraken Energy", stroke_width=1)
    text_width = right - left
    image = Image.new("RGBA", (height + gap + round(text_width) + 2, height), (0, 0, 0, 0))
    image.alpha_composite(mark, (0, 0))
    draw = ImageDraw.Draw(image)
    text_top = (height - (bottom - top)) // 2 - top
    draw.text(
        (height + gap - left, text_top),
        "Kraken Energy",
        font=font,
        fill=text_colour,
        stroke_width=1,
        stroke_fill=text_colour,
    )
    return trim(image)


def trim(image: Image.Image) -> Image.Image:
    """Cut away fully transparent edges."""
    box = image.getchannel("A").getbbox()
    return image.crop(box) if box else image


def main() -> None:
    """Write every brand image Home Assistant looks for."""
    BRAND.mkdir(parents=True, exist_ok=True)
    images = {
        "icon.png": draw_mark(256),
        "icon@2x.png": draw_mark(512),
        "logo.png": draw_logo(256, TEXT_LIGHT_BACKGROUND),
        "logo@2x.png": draw_logo(512, TEXT_LIGHT_BACKGROUND),
        # The mark reads on both themes; only the name needs a light colour on dark ones.
        "dark_logo.png": draw_logo(256, TEXT_DARK_BACKGROUND),
        "dark_logo@2x.png": draw_logo(512, TEXT_DARK_BACKGROUND),
    }
    for name, image in images.items():
        image.save(BRAND / name, optimize=True)
        print(f"{name}: {image.width} x {image.height}")


if __name__ == "__main__":
    main()
