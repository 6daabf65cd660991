"""Static files go out compressed on the development server (`make run`), as they do in production.

`make run` serves through the finders with WhiteNoise's autorefresh (DEBUG); kehila/static_serving.py makes
the compressed copies there. Production's path (collectstatic's .br and .gz, fingerprinted names) is
tests/kehila/test_deployment.py's. No collectstatic here: the middleware reads the files where they lie."""

import gzip

import brotli
import pytest
from django.test import Client

DEV_SERVER = {"WHITENOISE_AUTOREFRESH": True, "WHITENOISE_USE_FINDERS": True}


@pytest.fixture
def dev_server(settings, tmp_path):
    for name, value in DEV_SERVER.items():
        setattr(settings, name, value)
    settings.VAR_DIR = tmp_path / "var"
    return Client()  # a new handler: the middleware reads the settings when it is built


def test_the_dev_server_sends_the_built_stylesheet_in_brotli_or_gzip(dev_server, settings):
    url = "/static/build/bootstrap.rtl.css"
    plain = dev_server.get(url)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    body = b"".join(plain.streaming_content)
    assert b".ms-3{margin-right:1rem" in body

    zipped = dev_server.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(b"".join(zipped.streaming_content)) == body
    assert int(zipped.headers["Content-Length"]) < len(body) / 4

    best = dev_server.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert best.headers["Content-Encoding"] == "br"
    assert brotli.decompress(b"".join(best.streaming_content)) == body
    # The copies live in the cache under VAR_DIR, not beside the source.
    assert len(list((settings.VAR_DIR / "cache" / "static-compressed").glob("*.br"))) == 1


def test_an_edited_file_is_sent_compressed_as_it_now_is(dev_server, settings, tmp_path):
    source = tmp_path / "assets"
    source.mkdir()
    settings.STATICFILES_DIRS = [source]
    script = source / "page.js"
    script.write_text("console.log('first');\n" * 200)
    first = dev_server.get("/static/page.js", HTTP_ACCEPT_ENCODING="gzip")
    assert gzip.decompress(b"".join(first.streaming_content)).startswith(b"console.log('first')")

    script.write_text("console.log('second');\n" * 200)
    second = dev_server.get("/static/page.js", HTTP_ACCEPT_ENCODING="gzip")
    assert second.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(second.streaming_content)).startswith(b"console.log('second')")
    assert not list(source.glob("*.gz"))  # the source tree is never written to


def test_a_file_not_worth_compressing_is_sent_as_it_is(dev_server, settings, tmp_path):
    settings.STATICFILES_DIRS = [tmp_path]
    (tmp_path / "tiny.css").write_text("a{}")
    response = dev_server.get("/static/tiny.css", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    assert b"".join(response.streaming_content) == b"a{}"


def test_a_missing_static_file_is_still_a_404(dev_server):
    assert dev_server.get("/static/build/nothing.css").status_code == 404
