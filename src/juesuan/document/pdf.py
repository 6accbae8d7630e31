"""PDF writer: the print HTML laid out by WeasyPrint with the bundled Noto Sans CJK font."""

from __future__ import annotations

from collections.abc import Mapping

from juesuan.document.html import write_html
from juesuan.document.model import Document
from juesuan.document.numbers import Styles


def cjk_font_url() -> str:
    """file:// URL of the open-licensed CJK font installed with the package."""
    import noto_cjk_sans_otc

    return f"file://{noto_cjk_sans_otc.FONT_PATH}"


def write_pdf(doc: Document, styles: Styles, charts: Mapping[str, bytes] | None = None) -> bytes:
    import logging

    import weasyprint

    # WeasyPrint logs (in English) when it subsets fonts with fontTools because the
    # system lacks libharfbuzz-subset; the PDF is the same, only slower to make.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    html = write_html(doc, styles, charts, for_print=True, font_url=cjk_font_url())
    return weasyprint.HTML(string=html).write_pdf()
