"""Thumbnails of uploaded pictures, decoded with Pillow as untrusted input.

* Only the JPEG and PNG decoders are enabled for these bytes (``formats=``).
* The pixel count is read from the header and refused above ``MAX_PIXELS`` before any decoding
  (Pillow's own decompression-bomb guard stays on behind it).
* JPEGs are decoded at a reduced scale (``draft``), which keeps memory small for camera photos.
* EXIF orientation is applied, and the thumbnail is rebuilt from raw pixels, so no metadata of
  the original (EXIF with GPS, text chunks, ICC profiles) reaches it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

# 40 megapixels (e.g. 8000 × 5000): above every phone's default photo size, below Pillow's
# decompression-bomb warning (≈ 89 MP), so the warning never fires on accepted pictures.
MAX_PIXELS = 40_000_000
THUMBNAIL_EDGE = 256
_JPEG_QUALITY = 82


class ImageUnreadable(Exception):
    """The bytes are not a JPEG or PNG Pillow can decode."""


class ImageTooLarge(Exception):
    """More pixels than ``MAX_PIXELS``."""


@dataclass(frozen=True)
class Thumbnail:
    data: bytes
    content_type: str
    width: int
    height: int


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def make_thumbnail(data: bytes) -> Thumbnail:
    """A thumbnail at most ``THUMBNAIL_EDGE`` pixels on its long side: PNG when the picture has
    transparency, JPEG otherwise. Blocking (CPU): call it in a worker thread."""
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageTooLarge()
            image.draft("RGB", (THUMBNAIL_EDGE * 2, THUMBNAIL_EDGE * 2))
            upright = ImageOps.exif_transpose(image)
            alpha = _has_alpha(upright)
            small = upright.convert("RGBA" if alpha else "RGB")
            small.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE), Image.Resampling.LANCZOS)
    except ImageTooLarge:
        raise
    # Malformed input makes Pillow raise many kinds of errors (OSError, ValueError, SyntaxError,
    # struct.error, DecompressionBombError …): each means "not a picture we accept".
    except Exception as exc:
        raise ImageUnreadable(str(exc)) from None
    clean = Image.frombytes(small.mode, small.size, small.tobytes())  # pixels only, no metadata
    out = io.BytesIO()
    if alpha:
        clean.save(out, format="PNG", optimize=True)
        content_type = "image/png"
    else:
        clean.save(out, format="JPEG", quality=_JPEG_QUALITY, optimize=True)
        content_type = "image/jpeg"
    return Thumbnail(out.getvalue(), content_type, clean.width, clean.height)
