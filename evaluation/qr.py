"""QR codes of the survey links (segno), as SVG: sharp at any print size, sized in millimetres."""

from __future__ import annotations

import io

import segno

# 2.5 mm a module: a survey link (version 5–6, with the quiet zone 45–49 modules) prints about
# 11–12 cm wide, which a phone reads from across a notice board on an A4 poster. The SVG carries a
# viewBox, so a page may also draw it smaller with CSS.
MODULE_MM = 2.5
QUIET_ZONE = 4


def qr_svg(url: str, *, title: str = "") -> bytes:
    """The SVG document (UTF-8 bytes) of a QR code for `url`, error correction level M (a smudged or
    folded poster still reads)."""
    code = segno.make(url, error="m", boost_error=False, micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=MODULE_MM, unit="mm", border=QUIET_ZONE, title=title or None)
    return buffer.getvalue()
