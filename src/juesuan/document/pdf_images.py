"""Chart images into the PDF without re-encoding.

WeasyPrint decodes every PNG and compresses its pixels again (zlib level 6) to make the PDF
image stream: about 55 ms per chart, a sixth of the PDF writer's time for seven charts. A
PNG's image data (its IDAT chunks: rows with a PNG filter byte, deflated) *is* a valid PDF
stream for the parameters WeasyPrint writes (``/FlateDecode``, ``/Predictor 15``,
``/Colors``, ``/Columns`` = width, 8 bits), so for an 8-bit, non-interlaced grey or RGB PNG
without transparency the chunks are passed through as they are. Other images take
WeasyPrint's own path. The pixels in the PDF are the same either way.
"""

from __future__ import annotations

import struct
from functools import cache
from io import BytesIO
from typing import Any

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_GREY, _RGB = 0, 2  # PNG colour types without alpha or palette


def idat_data(png: bytes) -> bytes | None:
    """The concatenated IDAT chunks of ``png`` if its rows can be used as a PDF Flate stream
    with PNG predictors as they are (8 bits, grey or RGB, not interlaced, no transparency);
    otherwise None."""
    if not png.startswith(_SIGNATURE) or png[12:16] != b"IHDR":
        return None
    depth, colour, _compression, _filter, interlace = png[24:29]
    if depth != 8 or colour not in (_GREY, _RGB) or interlace:
        return None
    chunks = []
    pos = 8
    while pos + 8 <= len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        if kind == b"tRNS":
            return None
        if kind == b"IDAT":
            chunks.append(png[pos + 8 : pos + 8 + length])
        elif kind == b"IEND":
            break
        pos += 12 + length
    return b"".join(chunks) or None


@cache
def pass_png_through() -> None:
    """Make WeasyPrint take a suitable PNG's image data as it is (once per process)."""
    from weasyprint.images import RasterImage

    reencode = getattr(RasterImage, "_get_png_data", None)
    if reencode is None:  # pragma: no cover - another WeasyPrint: its own path
        return

    def png_data(pillow_image: Any) -> bytes:
        fp = getattr(pillow_image, "fp", None)
        if (
            getattr(pillow_image, "format", None) == "PNG"
            and pillow_image.mode in ("L", "RGB")
            and isinstance(fp, BytesIO)
        ):
            data = idat_data(fp.getvalue())
            if data is not None:
                return data
        return reencode(pillow_image)

    RasterImage._get_png_data = staticmethod(png_data)
