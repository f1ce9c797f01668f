"""The newsroom's roles and who may do what to a story.

Roles are Django groups (created by a migration from ROLE_PERMISSIONS); the `can_*` functions
are the server-side rules that the services enforce and the admin asks before showing a
button. Hiding a button is a courtesy; these checks are the wall.
"""

from .models import Article, Status

CONTRIBUTOR, EDITOR, PUBLISHER = "Contributor", "Editor", "Publisher"

_CONTRIBUTOR = [
    "articles.add_article", "articles.change_article", "articles.view_article",
    "articles.submit_article",
    "articles.add_byline", "articles.change_byline", "articles.delete_byline",
    "articles.view_byline",
    "articles.add_relatedarticle", "articles.change_relatedarticle",
    "articles.delete_relatedarticle", "articles.view_relatedarticle",
    "articles.add_taggedarticle", "articles.change_taggedarticle",
    "articles.delete_taggedarticle", "articles.view_taggedarticle",
    "articles.add_source", "articles.change_source", "articles.delete_source",
    "articles.view_source",
    "articles.view_author",
    "sections.view_section", "sections.view_series",
    "media.add_image", "media.view_image",
    "taggit.add_tag", "taggit.view_tag",
    # The newsroom's own pages: the same rules as stories (pages.services).
    "pages.add_page", "pages.change_page", "pages.view_page",
]  # fmt: skip
_EDITOR = _CONTRIBUTOR + [
    "articles.change_any_article", "articles.approve_article", "articles.archive_article",
    "articles.add_correction", "articles.change_correction", "articles.delete_correction",
    "articles.view_correction",
    "articles.add_frontpageslot", "articles.change_frontpageslot",
    "articles.delete_frontpageslot", "articles.view_frontpageslot",
    "articles.add_author", "articles.change_author",
    "sections.add_series", "sections.change_series",
    "media.change_image", "media.delete_image",
    "taggit.change_tag",
    # Newsletters and their issues: set up, edit, preview, test, schedule and send.
    "newsletters.add_newsletter", "newsletters.change_newsletter",
    "newsletters.view_newsletter",
    "newsletters.add_issue", "newsletters.change_issue", "newsletters.delete_issue",
    "newsletters.view_issue",
    "newsletters.add_issuestory", "newsletters.change_issuestory",
    "newsletters.delete_issuestory", "newsletters.view_issuestory",
    # The site's menus: editors see them; publishers change them (menus.services).
    "menus.view_menu", "menus.view_menuitem",
    # Reader messages (the contact form): the queue of reports, tips and messages.
    "contact.view_contactmessage", "contact.change_contactmessage",
]  # fmt: skip
_PUBLISHER = _EDITOR + [
    "articles.publish_article", "articles.delete_article", "articles.delete_author",
    "sections.add_section", "sections.change_section", "sections.delete_section",
    "sections.delete_series", "taggit.delete_tag",
    "newsroom.change_sitesettings", "newsroom.view_sitesettings",
    "menus.change_menu", "menus.add_menuitem", "menus.change_menuitem",
    "menus.delete_menuitem",
    "pages.delete_page",
]  # fmt: skip

ROLE_PERMISSIONS: dict[str, list[str]] = {
    CONTRIBUTOR: _CONTRIBUTOR,
    EDITOR: _EDITOR,
    PUBLISHER: _PUBLISHER,
}

# A planned story is the writer's to write, like a draft.
EDITABLE_BY_WRITER = {Status.PLANNED, Status.DRAFT, Status.RETURNED}
# Not yet on the site and not put away: a due date still means something.
IN_PROGRESS = {Status.PLANNED, Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED}


def _owns(user, article: Article) -> bool:
    return article.created_by_id is not None and article.created_by_id == user.pk


def visible_in_admin(user, stories):
    """Stories a user may open in the admin: everything for editors; for contributors their
    own and those already public, so an embargoed story by someone else stays out of sight."""
    if user.has_perm("articles.change_any_article"):
        return stories
    return stories.filter(pk__in=Article.objects.filter(created_by=user)) | stories.filter(
        pk__in=Article.objects.live()
    )


def can_create(user) -> bool:
    return user.has_perm("articles.add_article")


def can_edit(user, article: Article) -> bool:
    """Editors edit any story; a contributor edits their own while it is a draft or returned."""
    if user.has_perm("articles.change_any_article"):
        return True
    return (
        user.has_perm("articles.change_article")
        and _owns(user, article)
        and article.status in EDITABLE_BY_WRITER
    )


def can_submit(user, article: Article) -> bool:
    return (
        article.status in EDITABLE_BY_WRITER
        and user.has_perm("articles.submit_article")
        and can_edit(user, article)
    )


def can_approve(user, article: Article) -> bool:
    return article.status == Status.SUBMITTED and user.has_perm("articles.approve_article")


def can_return(user, article: Article) -> bool:
    return article.status in {Status.SUBMITTED, Status.APPROVED} and user.has_perm(
        "articles.approve_article"
    )


def can_publish(user, article: Article) -> bool:
    """Publish now or schedule: an approved or unpublished story, or reschedule one."""
    if not user.has_perm("articles.publish_article"):
        return False
    if article.pending_for_id:
        return can_publish_pending(user, article)
    return article.status in {Status.APPROVED, Status.UNPUBLISHED} or article.is_scheduled


def can_propose_changes(user, article: Article) -> bool:
    """Pending changes to a published story: any editor, or the contributor who wrote it."""
    if article.pending_for_id or not article.is_live():  # off the site: edit it directly
        return False
    if user.has_perm("articles.change_any_article"):
        return True
    return user.has_perm("articles.change_article") and _owns(user, article)


def can_publish_pending(user, changes: Article) -> bool:
    """A publisher puts pending changes live, whatever step of review they have reached."""
    return (
        changes.pending_for_id is not None
        and changes.status != Status.ARCHIVED
        and user.has_perm("articles.publish_article")
    )


def can_unpublish(user, article: Article) -> bool:
    return article.status == Status.PUBLISHED and user.has_perm("articles.publish_article")


def can_archive(user, article: Article) -> bool:
    if article.status == Status.ARCHIVED or not user.has_perm("articles.archive_article"):
        return False
    # Archiving a published story takes it off the site: that is a publisher's call.
    return article.status != Status.PUBLISHED or user.has_perm("articles.publish_article")


def can_restore_from_archive(user, article: Article) -> bool:
    """Undo an archive, back to a draft: a publisher always; an editor when the story never
    went out (bringing back something readers once saw is a publisher's call)."""
    if article.status != Status.ARCHIVED:
        return False
    if user.has_perm("articles.publish_article"):
        return True
    return user.has_perm("articles.archive_article") and article.first_published_at is None


def can_publish_again(user, article: Article) -> bool:
    """Undo an unpublish: put the story back on the site as it was."""
    return (
        article.status == Status.UNPUBLISHED
        and not article.pending_for_id
        and user.has_perm("articles.publish_article")
    )


def can_delete(user, article: Article) -> bool:
    return user.has_perm("articles.delete_article")


def can_set_schedule(user) -> bool:
    """Whether the user may touch publish/unpublish times (and a published story's slug)."""
    return user.has_perm("articles.publish_article")


def can_plan(user) -> bool:
    """Plan a story (an assignment) for a writer: an editor's call."""
    return user.has_perm("articles.change_any_article") and user.has_perm("articles.add_article")


def can_set_due_date(user, article: Article) -> bool:
    """Move a story's due date: an editor, or its writer, while the story is in progress."""
    if article.status not in IN_PROGRESS or article.pending_for_id:
        return False
    if user.has_perm("articles.change_any_article"):
        return True
    return user.has_perm("articles.change_article") and _owns(user, article)


def can_reschedule(user, article: Article) -> bool:
    """Move a scheduled story to another time: whoever may schedule it."""
    return article.is_scheduled and not article.pending_for_id and can_set_schedule(user)


def can_edit_profiles(user) -> bool:
    """Edit any author profile directly, readers seeing it at once: editors and publishers."""
    return user.has_perm("articles.change_author")


def can_propose_profile_change(user, author) -> bool:
    """A person proposes changes to their own author profile (an editor approves them)."""
    return (
        getattr(user, "pk", None) is not None
        and user.is_active
        and author.user_id == user.pk
        and user.has_perm("articles.view_author")
    )


def can_decide_profile_change(user, change) -> bool:
    """Approve or reject a proposed profile change: an editor, never on their own proposal."""
    return can_edit_profiles(user) and change.proposed_by_id != getattr(user, "pk", None)


def sync_role_groups(group_model=None, permission_model=None) -> None:
    """Create or update the role groups from ROLE_PERMISSIONS.

    Migrations pass their historical Group and Permission models; a permission for a model a
    later migration adds is skipped here and granted when that migration syncs again."""
    if group_model is None:
        from django.contrib.auth.models import Group as group_model
        from django.contrib.auth.models import Permission as permission_model
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                permissions.append(permission)
        group.permissions.set(permissions)
