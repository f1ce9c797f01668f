import pytest

from tests import mail_server


@pytest.fixture
def inbox(settings):
    """A real SMTP server on 127.0.0.1 that Django sends to; what it received."""
    controller, inbox = mail_server.start(settings)
    yield inbox
    controller.stop()
