"""PDF documents (the personal profile, the unit report) with WeasyPrint, never touching the network.

WeasyPrint is imported on first use only, because it loads pango: pages that never make a PDF don't pay.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders

# The design system's typeface, embedded when the static files have it (else system fonts are used).
PDF_FONTS: tuple[tuple[str, str, str], ...] = (
    ("400", "normal", "dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Regular.ttf"),
    ("400", "italic", "dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Italic.ttf"),
    ("500", "normal", "dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Medium.ttf"),
    ("600", "normal", "dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-SemiBold.ttf"),
    ("700", "normal", "dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Bold.ttf"),
)


@cache
def _font_files() -> dict[str, Path]:
    """file:// URL → path of each bundled font that is present, for @font-face and the URL fetcher."""
    found: dict[str, Path] = {}
    for _weight, _style, name in PDF_FONTS:
        located = finders.find(name)
        if isinstance(located, str):
            path = Path(located).resolve()
            found[path.as_uri()] = path
    return found


def _font_faces() -> str:
    urls = {path.name: url for url, path in _font_files().items()}
    return "\n".join(
        f'@font-face {{ font-family: "IBM Plex Sans"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{urls[Path(name).name]}"); }}'
        for weight, style, name in PDF_FONTS
        if Path(name).name in urls
    )


@cache
def pdf_url_fetcher() -> Any:
    """WeasyPrint's URL fetcher: the bundled fonts and data: URLs only, never the network or other files."""
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:") or url in _font_files():
                return super().fetch(url, headers)
            raise ValueError(f"Refused to fetch {url!r} for a PDF")

    return LocalOnlyFetcher(allowed_protocols=("data", "file"))


def render_pdf(html: str, *, stylesheet: Path) -> bytes:
    """A tagged PDF of the HTML with a print stylesheet: documents fall under the accessibility law too."""
    import weasyprint  # noqa: PLC0415 — see the module docstring
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    fonts = FontConfiguration()  # @font-face rules apply only through a font configuration
    fetcher = pdf_url_fetcher()
    css = weasyprint.CSS(
        string=_font_faces() + "\n" + stylesheet.read_text(encoding="utf-8"),
        font_config=fonts,
        url_fetcher=fetcher,
    )
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[css], font_config=fonts, pdf_tags=True))
