"""What readers send through the contact form: messages, tips, error reports about a story and
messages to an author. Each is kept here first, then mailed by the worker (contact.tasks), so
a mail server that is down loses nothing; editors work through them in the desk."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactMessage(models.Model):
    """One message from a reader, as they sent it, and what the newsroom did with it."""

    # Readers never see one (only staff, in the desk): saving it changes no page.
    reader_change_on_save = "nothing"

    class Kind(models.TextChoices):
        CONTACT = "contact", _("A message to the newsroom")
        TIP = "tip", _("A news tip")
        ERROR = "error", _("An error in a story")
        AUTHOR = "author", _("A message to an author")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        HANDLED = "handled", _("Handled")
        SPAM = "spam", _("Spam")

    class Delivery(models.TextChoices):
        QUEUED = "queued", _("Waiting to be mailed")
        SENT = "sent", _("Mailed")
        FAILED = "failed", _("Not mailed")

    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind, default=Kind.CONTACT,
        help_text=_("What the reader said the message is."),
    )  # fmt: skip
    name = models.CharField(
        _("name"), max_length=100, blank=True, help_text=_("As the reader gave it.")
    )
    email = models.EmailField(
        _("reader's email"),
        blank=True,
        help_text=_("Staff only: never shown on the site. Empty for an anonymous tip."),
    )
    subject = models.CharField(_("subject"), max_length=150, blank=True)
    message = models.TextField(_("message"), help_text=_("Plain text, as the reader typed it."))
    story = models.ForeignKey(
        "articles.Article",
        verbose_name=_("story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reader_messages",
        help_text=_("The story an error report is about (only a live story is recorded)."),
    )
    author = models.ForeignKey(
        "articles.Author",
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reader_messages",
        help_text=_("The author a message was written to."),
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.NEW,
        help_text=_("New messages wait in the editors' queue on the desk home."),
    )  # fmt: skip
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    correction = models.ForeignKey(
        "articles.Correction",
        verbose_name=_("correction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reader_reports",
        help_text=_("The correction this report led to."),
    )

    # Mailing it to the newsroom (contact.tasks): tried until the mail server takes it.
    delivery = models.CharField(
        _("mailed"), max_length=10, choices=Delivery, default=Delivery.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("mailing attempts"), default=0)
    last_error = models.TextField(_("last mailing error"), blank=True)
    sent_at = models.DateTimeField(_("mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reader message")
        verbose_name_plural = _("reader messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"], name="contact_queue")]

    def __str__(self) -> str:
        summary = self.subject or " ".join(self.message.split())[:60]
        return f"{self.get_kind_display()}: {summary}" if summary else self.get_kind_display()
