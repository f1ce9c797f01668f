import pytest
from aiosmtpd.controller import Controller

from tests.mail_server import Inbox

# This worktree's ports (8360-8369): the SMTP server the issue tests send to.
SMTP_PORT = 8361


@pytest.fixture
def inbox(settings):
    """A real SMTP server on 127.0.0.1 that Django sends to; what it received."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SMTP_PORT
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    yield inbox
    controller.stop()
