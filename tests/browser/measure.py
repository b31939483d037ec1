"""Measure a page as the EcoIndex does, and run axe-core on it, with Playwright's Chromium.

Shared by the browser tests and bin/measure-pages.py. The measurement follows the reference
scraper (``cnumr/ecoindex_python: ecoindex/scraper/scrap.py``): a 1920×1080 window, load,
ArrowDown, scroll to the bottom, wait for the network to settle; then the DOM elements without
the children of <svg>, the HAR entries and their ``_transferSize`` (bytes on the wire).
"""

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from .ecoindex import EcoIndex, ecoindex

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_PATH = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FONT_EXTENSIONS = (".woff", ".woff2", ".ttf", ".otf", ".eot")
COUNT_ELEMENTS = (
    "() => document.getElementsByTagName('*').length - document.querySelectorAll('svg *').length"
)


def chromium_path():
    """The system Chromium (Debian's package), or None."""
    candidate = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return candidate if Path(candidate).is_file() else None


@dataclass(frozen=True)
class Request:
    url: str
    status: int
    transfer_size: int
    mime_type: str


@dataclass
class Measurement:
    url: str
    status: int
    dom: int
    requests: list = field(default_factory=list)

    @property
    def request_count(self):
        return len(self.requests)

    @property
    def size_kb(self):
        return sum(request.transfer_size for request in self.requests) / 1000

    @property
    def ecoindex(self) -> EcoIndex:
        return ecoindex(self.dom, self.request_count, self.size_kb)

    def foreign_requests(self):
        """Requests to any host other than the page's own."""
        host = urlsplit(self.url).netloc
        return [r.url for r in self.requests if urlsplit(r.url).netloc not in (host, "")]

    def font_requests(self):
        return [
            r.url
            for r in self.requests
            if r.mime_type.startswith("font/")
            or "font" in r.mime_type
            or urlsplit(r.url).path.lower().endswith(FONT_EXTENSIONS)
        ]


def _transfer_size(entry):
    size = entry["response"].get("_transferSize", -1)
    if size is None or size < 0:  # The reference scraper's fallback.
        size = len(json.dumps(entry["response"]))
    return size


def measure(browser, url, cookies=()):
    """Load `url` in a fresh context (cold cache) and measure it; `cookies` log a user in."""
    with tempfile.TemporaryDirectory() as tmp:
        har_path = Path(tmp) / "page.har"
        context = browser.new_context(
            viewport={"width": 1920, "height": 1080},
            record_har_path=str(har_path),
            record_har_content="omit",
        )
        if cookies:
            context.add_cookies(list(cookies))
        try:
            page = context.new_page()
            response = page.goto(url, wait_until="load")
            page.keyboard.press("ArrowDown")
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_load_state("networkidle")
            dom = page.evaluate(COUNT_ELEMENTS)
        finally:
            context.close()  # Writes the HAR.
        entries = json.loads(har_path.read_text(encoding="utf-8"))["log"]["entries"]
    return Measurement(
        url=url,
        status=response.status if response else 0,
        dom=dom,
        requests=[
            Request(
                url=entry["request"]["url"],
                status=entry["response"]["status"],
                transfer_size=_transfer_size(entry),
                mime_type=entry["response"].get("content", {}).get("mimeType", ""),
            )
            for entry in entries
        ],
    )


def axe_violations(page, axe_source, tags=AXE_TAGS):
    """axe-core's violations on the current page, injected with evaluate() because of the CSP."""
    page.evaluate(axe_source)
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
            });
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
            }));
        }""",
        list(tags),
    )
