import pytest
from django.core.cache import cache

from tests import mail_server
from tests.caching_kit import use_real_redis
from tests.newsletters.helpers import make_newsletter
from tests.newsletters.sending_kit import SMTPServer


@pytest.fixture
def inbox(settings):
    """A real SMTP server on 127.0.0.1 that Django sends to; what it received."""
    controller, inbox = mail_server.start(settings)
    yield inbox
    controller.stop()


@pytest.fixture
def smtp(settings):
    """The sending tests' SMTP server on 127.0.0.1 (aiosmtpd, tests/newsletters/sending_kit.py),
    which can refuse, defer, slow down and hang up on demand; this process's mail goes to it,
    unthrottled (a worker process is pointed at it by its own settings)."""
    server = SMTPServer().start()
    server.use_in(settings)
    settings.NEWSLETTER_RATE = 0
    settings.NEWSLETTER_RETRY_DELAY = 1
    yield server
    server.stop()


@pytest.fixture
def newsletter(db):
    return make_newsletter()


@pytest.fixture(params=["locmem", "redis"])
def any_cache(request, settings):
    """The rate limits' cache: local memory, and a real Redis."""
    if request.param == "redis":
        use_real_redis(settings)  # as production
    cache.clear()
    yield request.param
    cache.clear()
