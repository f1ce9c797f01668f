"""What the desk keeps: notifications of workflow steps and whether to email them, each
person's private working copies, and who has a story open (presence)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    SUBMITTED = "submitted", _("submitted for edit")
    RETURNED = "returned", _("returned to the writer")
    APPROVED = "approved", _("approved")
    PUBLISHED = "published", _("published")
    SCHEDULED = "scheduled", _("scheduled")
    UNPUBLISHED = "unpublished", _("unpublished")
    PENDING_SUBMITTED = "pending_submitted", _("submitted pending changes to")
    CORRECTION = "correction", _("added a correction to")
    COMMENTED = "commented", _("commented on")
    REPLIED = "replied", _("replied to a comment on")
    PROFILE_PROPOSED = "profile_proposed", _("proposed a change to the author profile of")
    PROFILE_APPROVED = "profile_approved", _("approved the change to the author profile of")
    PROFILE_REJECTED = "profile_rejected", _("rejected the change to the author profile of")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One person told about one step a story took (made by desk.notifications.notify), one
    a page took (notify_page), or a proposed change to an author profile
    (notify_profile_change)."""

    # Readers never see it: saving one changes no public page (caching.invalidation).
    reader_change_on_save = "nothing"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("story"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    profile_change = models.ForeignKey(
        "articles.ProfileChange",
        verbose_name=_("profile change"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    page = models.ForeignKey(
        "pages.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    verb = models.CharField(_("what happened"), max_length=20, choices=Verb)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.actor or 'system'} {self.get_verb_display()} “{self.subject}”"

    @property
    def subject(self) -> str:
        """What it is about, in words: the story's headline, the page's title or the author's
        name."""
        if self.page_id:
            return self.page.title
        if self.profile_change_id:
            return self.profile_change.author.name
        return self.article.headline if self.article_id else ""

    @property
    def desk_url(self) -> str:
        """Where on the desk to act on it: the story, the page, the change to review, or the
        profile."""
        if self.article_id:
            return reverse("admin:articles_article_change", args=[self.article_id])
        if self.page_id:
            return reverse("admin:pages_page_change", args=[self.page_id])
        if self.verb == Verb.PROFILE_PROPOSED:
            return reverse("admin:desk_profile_change", args=[self.profile_change_id])
        return reverse("admin:articles_author_change", args=[self.profile_change.author_id])


class DeskPreference(models.Model):
    """A person's choices for the desk; no row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_preference"
    )
    emails = models.BooleanField(
        _("email me my notifications"),
        default=True,
        help_text=_("Notifications always appear on the desk; this also sends each by email."),
    )

    class Meta:
        verbose_name = _("desk preference")
        verbose_name_plural = _("desk preferences")

    def __str__(self) -> str:
        return f"Desk preferences of {self.user}"


class CommentQuerySet(models.QuerySet):
    def threads(self):
        """Comments that start a thread (replies hang under them)."""
        return self.filter(parent__isnull=True)

    def open(self):
        return self.filter(resolved_at__isnull=True)


class Comment(models.Model):
    """A note between staff on a story: on the whole story, a field, or a passage of the body.

    Made by desk.comments; never shown to readers. A passage comment keeps the quoted text and
    a little of the text around it, so the editor can find the passage again as the body
    changes; the body itself never carries a trace of it."""

    # Readers never see it: saving one changes no public page (caching.invalidation).
    reader_change_on_save = "nothing"

    article = models.ForeignKey(
        "articles.Article", verbose_name=_("story"), on_delete=models.CASCADE, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    field = models.CharField(
        _("on"),
        max_length=50,
        blank=True,
        help_text=_("The field the comment is about; empty for the whole story."),
    )
    quote = models.TextField(
        _("passage"), blank=True, help_text=_("The words of the body the comment is about.")
    )
    before = models.CharField(_("text before the passage"), max_length=100, blank=True)
    after = models.CharField(_("text after the passage"), max_length=100, blank=True)
    text = models.TextField(_("comment"))
    transition = models.OneToOneField(
        "articles.Transition",
        verbose_name=_("workflow step"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="desk_comment",
        help_text=_("The return to the writer this comment was made with."),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["article", "parent"], name="comment_story_threads")]

    def __str__(self) -> str:
        return f"Comment by {self.author} on “{self.article}”"


class WorkingCopy(models.Model):
    """One person's unsaved form for one story (or a new story, or a page) in one browser tab.

    Written by autosave, read back only by the same person to restore; never a revision,
    never public, and deleted once its changes are saved or discarded."""

    # Readers never see it: saving one changes no public page (caching.invalidation).
    reader_change_on_save = "nothing"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_copies"
    )
    # None: a story not saved yet (one rolling copy per person and tab for "Add story").
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="working_copies",
    )
    # Or one of the newsroom's own pages (desk.working_copies' page_* functions): never both.
    page = models.ForeignKey(
        "pages.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="working_copies",
    )
    # Made by the page and kept by the browser tab, so two tabs never overwrite each other.
    tab = models.CharField(_("browser tab"), max_length=40, blank=True, default="")
    data = models.JSONField(_("form data"), help_text=_("The form's fields, as typed."))
    base_version = models.PositiveIntegerField(_("started from version"), null=True, blank=True)
    saved_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("working copy")
        verbose_name_plural = _("working copies")
        db_table = "articles_workingcopy"  # made when it lived in articles
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article", "tab"], name="one_working_copy_per_tab"
            ),
            models.UniqueConstraint(
                fields=["user", "tab"],
                condition=models.Q(article__isnull=True, page__isnull=True),
                name="one_new_story_working_copy_per_tab",
            ),
            models.UniqueConstraint(
                fields=["user", "page", "tab"],
                condition=models.Q(page__isnull=False),
                name="one_page_working_copy_per_tab",
            ),
            models.CheckConstraint(
                condition=models.Q(article__isnull=True) | models.Q(page__isnull=True),
                name="working_copy_of_a_story_or_a_page",
            ),
        ]

    def __str__(self) -> str:
        if self.page_id:
            return f"{self.user} on page {self.page_id}"
        return f"{self.user} on {self.article_id or 'a new story'}"


class EditingPresence(models.Model):
    """Someone has this story's form open in a tab: the page sends a heartbeat while it is."""

    # Readers never see it: saving one changes no public page (caching.invalidation).
    reader_change_on_save = "nothing"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="presences"
    )
    # Each open tab beats on its own, so a second tab of the same person is seen too.
    tab = models.CharField(_("browser tab"), max_length=40, blank=True, default="")
    since = models.DateTimeField(_("editing since"))
    last_seen = models.DateTimeField(_("last heartbeat"))

    class Meta:
        db_table = "articles_editingpresence"  # made when it lived in articles
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["user", "article", "tab"], name="one_presence_per_tab")
        ]
        indexes = [models.Index(fields=["article", "last_seen"], name="presence_recent")]

    def __str__(self) -> str:
        return f"{self.user} editing {self.article_id}"
