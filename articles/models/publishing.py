"""What stories and the newsroom's own pages share: where they are in the workflow, the one
rule that says when readers see them, who made them, and the version a form started from."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    # An assignment: a working headline, a writer and a due date, before anyone writes it.
    PLANNED = "planned", _("Planned")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for edit")
    RETURNED = "returned", _("Returned to writer")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")
    ARCHIVED = "archived", _("Archived")


def live_rule(now: datetime | None = None) -> Q:
    """What a reader may see, as a filter: published, its publish time come, its unpublish
    time (if any) not yet. The one rule, for stories (ArticleQuerySet.live) and the newsroom's
    own pages (pages.models.PageQuerySet.live) alike."""
    now = now or timezone.now()
    return (Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now)) & Q(
        status=Status.PUBLISHED, publish_at__lte=now
    )


class Publishable(models.Model):
    """The workflow's and the visibility rule's fields (Article, pages.Page)."""

    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("When it goes live. In the future, it is scheduled."),
    )
    unpublish_at = models.DateTimeField(
        _("unpublish at"),
        null=True,
        blank=True,
        help_text=_("Optional: when it leaves the site by itself."),
    )
    first_published_at = models.DateTimeField(_("first published"), null=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("last saved"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Bumped on every save; a form that started from an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def is_live(self, now: datetime | None = None) -> bool:
        """The same rule as live_rule(), for one story or page already in memory."""
        now = now or timezone.now()
        return (
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )
