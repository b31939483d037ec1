"""Templates stay compatible with a CSP without 'unsafe-inline' and keep autoescaping."""

import re
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def project_templates():
    roots = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
    return sorted(
        path for root in roots if ".venv" not in root.parts for path in root.rglob("*.html")
    )


TEMPLATES = project_templates()


def relative(path):
    return str(path.relative_to(BASE_DIR))


def test_templates_are_found():
    assert len(TEMPLATES) >= 10


@pytest.mark.parametrize("path", TEMPLATES, ids=relative)
def test_no_inline_style(path):
    """No style attribute nor <style> element: the CSP's style-src is 'self' only."""
    text = path.read_text()
    assert not re.search(r"\sstyle\s*=", text)
    assert "<style" not in text.lower()


@pytest.mark.parametrize("path", TEMPLATES, ids=relative)
def test_no_inline_script_without_nonce(path):
    """A <script> either loads a file or carries the per-response CSP nonce."""
    text = path.read_text()
    for tag in re.findall(r"<script\b[^>]*>", text, flags=re.IGNORECASE):
        if not re.search(r"\ssrc=", tag):
            assert 'nonce="{{ csp_nonce }}"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", text, re.I)


@pytest.mark.parametrize("path", TEMPLATES, ids=relative)
def test_no_escaping_switched_off(path):
    """User data is never marked safe in templates."""
    text = path.read_text()
    assert not re.search(r"\|\s*safe\b", text)
    assert not re.search(r"{%\s*autoescape\s+off", text)
