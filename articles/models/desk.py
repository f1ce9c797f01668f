"""What the desk keeps while people work: private working copies and who has a story open."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkingCopy(models.Model):
    """One person's unsaved form for one story (or a new story) in one browser tab.

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
    # Made by the page and kept by the browser tab, so two tabs never overwrite each other.
    tab = models.CharField(_("browser tab"), max_length=40, blank=True, default="")
    data = models.JSONField(_("form data"), help_text=_("The form's fields, as typed."))
    base_version = models.PositiveIntegerField(_("started from version"), null=True, blank=True)
    saved_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("working copy")
        verbose_name_plural = _("working copies")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article", "tab"], name="one_working_copy_per_tab"
            ),
            models.UniqueConstraint(
                fields=["user", "tab"],
                condition=models.Q(article__isnull=True),
                name="one_new_story_working_copy_per_tab",
            ),
        ]

    def __str__(self) -> str:
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
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["user", "article", "tab"], name="one_presence_per_tab")
        ]
        indexes = [models.Index(fields=["article", "last_seen"], name="presence_recent")]

    def __str__(self) -> str:
        return f"{self.user} editing {self.article_id}"
