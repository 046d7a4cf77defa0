"""The QR code printed on a fiche: its public address, drawn at build time as inline SVG (segno)."""

from __future__ import annotations

import segno


def qr_svg(url: str) -> str:
    """An SVG QR code for `url`, sized by the style sheet (no fixed width), with a French title."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True, title=f"QR code : {url}")
