"""The newsletters admin. Subscribers (export, erase) live in subscriber_admin.py."""

from . import subscriber_admin  # noqa: F401
