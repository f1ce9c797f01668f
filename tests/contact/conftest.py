import pytest

from newsroom.models import SiteSettings
from tests.newsletters.conftest import any_cache, smtp  # noqa: F401 - the same fixtures
from tests.newsletters.sending_kit import SMTPServer

NEWSROOM = "letters@newsroom.example"


@pytest.fixture
def newsroom_address(db):
    """Site settings name where messages go."""
    site = SiteSettings.get_solo()
    site.contact_email = NEWSROOM
    site.save()
    return NEWSROOM


@pytest.fixture
def smtp_down(settings):
    """A mail server that is not running yet (connections refused), which this process's
    mail is pointed at: `.start()` brings it up on the same port."""
    server = SMTPServer()
    server.use_in(settings)
    yield server
    server.stop()
