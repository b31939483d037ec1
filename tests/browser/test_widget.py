"""The widget embedded in a page of another origin (another port of 127.0.0.1) renders."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .measure import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def other_origin(live_server):
    """A site of its own on another port, whose page frames the widget like a collectivité's."""
    html = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Mairie</title></head>'
        "<body><main><h1>Notre commune et l’IA</h1>"
        f'<iframe src="{live_server.url}/integrer/liste/?theme=mobilites" '
        'title="Cas d’usage de l’IA : Mobilités" width="600" height="480"></iframe>'
        "</main></body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_widget_renders_inside_another_origin(page, catalogue, other_origin, live_server):
    page.goto(other_origin)
    frame = page.frame_locator("iframe[title='Cas d’usage de l’IA : Mobilités']")
    assert frame.locator("h1").inner_text() == "Cas d’usage de l’IA : Mobilités"
    assert frame.locator("li").count() == 9
    assert "Bibliothèque d’IA territoriales" in frame.locator("footer").inner_text()
    assert page.context.cookies() == []


def test_widget_page_passes_axe(page, catalogue, live_server, axe_source):
    response = page.goto(live_server.url + "/integrer/liste/?theme=mobilites")
    assert response.status == 200
    assert not axe_violations(page, axe_source)
