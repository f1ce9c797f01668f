"""The newsletters admin. Subscribers (export, erase) live in subscriber_admin.py; newsletters
and their issues (previews, test, send, schedule, figures) in issue_admin.py."""

from . import issue_admin, subscriber_admin  # noqa: F401
