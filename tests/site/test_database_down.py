"""When the database is down, readers get "back in a moment" (503, Retry-After), not a
stack trace; cached pages are still served; when it is back, everything works, no restart."""

import threading
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import path as url_path
from django.urls import reverse

from articles.models import Status
from newsroom.models import SiteSettings
from newsroom.outage import server_error
from tests.factories import make_article
from tests.outages import TcpProxy, connection_to, through, unreachable

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    # A real browser sees the error page; the test client would re-raise the exception.
    return Client(raise_request_exception=False)


def assert_back_in_a_moment(response):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "Back in a moment" in html and "Traceback" not in html
    assert "Nothing is wrong on your side" in html  # the page itself, not its fallback


def test_readers_get_a_friendly_503_while_the_database_cannot_be_opened(client):
    story = make_article(status=Status.PUBLISHED)
    urls = ["/", story.get_absolute_url(), story.section.get_absolute_url(),
            "/search/?q=story", "/feeds/rss/", "/sitemap.xml"]  # fmt: skip
    with connection_to(unreachable(connection.settings_dict)):
        for url in urls:
            assert_back_in_a_moment(client.get(url))
    for url in urls:  # the database is back: the same client, the same process
        assert client.get(url).status_code == 200, url


def test_a_page_cached_before_the_outage_is_still_served(client, settings):
    settings.PAGE_CACHE = True
    story = make_article(status=Status.PUBLISHED, headline="Cached before the outage")
    assert client.get("/")["X-Cache"] == "miss"
    with connection_to(unreachable(connection.settings_dict)):
        response = client.get("/")
        assert response.status_code == 200 and response["X-Cache"] == "hit"
        assert "Cached before the outage" in response.content.decode()
        assert_back_in_a_moment(client.get(story.get_absolute_url()))


def test_staff_get_the_same_503_in_the_admin(client, editor):
    story = make_article(status=Status.DRAFT)
    client.force_login(editor)
    change = reverse("admin:articles_article_change", args=[story.pk])
    with connection_to(unreachable(connection.settings_dict)):
        assert_back_in_a_moment(client.get(change))
        assert_back_in_a_moment(client.get("/"))
    assert client.get(change).status_code == 200


def test_other_errors_are_still_a_plain_500():
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug, not an outage")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500 and "Retry-After" not in response
    try:
        try:
            raise OperationalError("connection refused")
        except OperationalError as lost:
            raise RuntimeError("a library re-raised it") from lost
    except RuntimeError:
        assert server_error(request).status_code == 503


# --- A real outage: PostgreSQL reached through a proxy the test cuts and restores ----------


class ServedThroughProxy:
    """The site in a one-thread WSGI server whose database connection goes through a proxy,
    persistent (CONN_MAX_AGE) and health-checked as in production."""

    def __init__(self, proxy: TcpProxy):
        self.proxy = proxy
        self.httpd = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
        self.httpd.set_app(WSGIHandler())
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.database = through(proxy, connection.settings_dict, CONN_MAX_AGE=60)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        with connection_to(self.database):
            self.httpd.serve_forever(poll_interval=0.05)

    def get(self, path: str, cookies: str = ""):
        request = urllib.request.Request(self.url + path, headers={"Cookie": cookies})
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def stop(self):
        self.httpd.shutdown()
        self.thread.join(10)
        self.httpd.server_close()


@pytest.fixture
def site_through_proxy(transactional_db, settings):
    if connection.vendor != "postgresql":
        pytest.skip("Cuts a network connection to the database server (PostgreSQL).")
    settings.PAGE_CACHE = True
    SiteSettings.get_solo()  # made on first use, which would change the content generation
    proxy = TcpProxy((connection.settings_dict["HOST"], int(connection.settings_dict["PORT"])))
    server = ServedThroughProxy(proxy)
    yield server
    server.stop()
    proxy.close()


def test_a_real_outage_and_recovery_without_a_restart(site_through_proxy, editor):
    site = site_through_proxy
    story = make_article(status=Status.PUBLISHED, headline="Cached before the outage")
    staff = Client()
    staff.force_login(editor)
    session = f"{settings.SESSION_COOKIE_NAME}={staff.cookies[settings.SESSION_COOKIE_NAME].value}"
    assert site.get("/")[0] == 200
    assert site.get("/admin/", session)[0] == 200  # the server's persistent connection is open

    site.proxy.cut()
    status, headers, html = site.get("/")
    assert status == 200 and headers["X-Cache"] == "hit" and "Cached before the outage" in html
    for path, cookies in (
        (story.get_absolute_url(), ""),
        ("/feeds/rss/", ""),
        ("/admin/", session),
    ):
        status, headers, html = site.get(path, cookies)
        assert status == 503 and int(headers["Retry-After"]) > 0, path
        assert headers["Cache-Control"] == "no-store" and "Nothing is wrong on your side" in html

    site.proxy.restore()
    assert site.get(story.get_absolute_url())[0] == 200
    assert site.get("/admin/", session)[0] == 200


def test_a_connection_that_broke_while_idle_is_replaced_unnoticed(site_through_proxy):
    """CONN_HEALTH_CHECKS: the first request after a blip gets a fresh connection, not a 503."""
    site = site_through_proxy
    story = make_article(status=Status.PUBLISHED)
    assert site.get("/feeds/rss/")[0] == 200
    site.proxy.cut()  # the server's persistent connection dies while it is idle
    site.proxy.restore()
    assert site.get(story.get_absolute_url())[0] == 200


def test_a_database_that_stops_answering_is_a_503_within_the_connect_timeout(
    site_through_proxy,
):
    """A host that has gone away answers nothing: the connect timeout (DB_CONNECT_TIMEOUT)
    turns that into the 503 page, not a worker hanging until gunicorn kills it."""
    site = site_through_proxy
    timeout = connection.settings_dict["OPTIONS"]["connect_timeout"]
    story = make_article(status=Status.PUBLISHED)
    site.proxy.go_silent()
    started = time.monotonic()
    assert site.get(story.get_absolute_url())[0] == 503
    assert time.monotonic() - started < timeout + 5
    site.proxy.restore()
    assert site.get(story.get_absolute_url())[0] == 200


def hanging_page(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(5)")


urlpatterns = [url_path("hang/", hanging_page)]
handler500 = "newsroom.outage.server_error"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement_timeout")
def test_a_query_that_hangs_is_cancelled_and_the_reader_gets_the_503(client, settings):
    """DB_STATEMENT_TIMEOUT: a hanging query frees its worker; the reader gets the 503 page."""
    settings.ROOT_URLCONF = __name__
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"  # the default, from the settings
        cursor.execute("SET statement_timeout = 200")
    started = time.monotonic()
    response = client.get("/hang/")
    assert time.monotonic() - started < 3
    assert_back_in_a_moment(response)
