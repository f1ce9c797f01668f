"""How each row of the permission matrix (tests/articles/test_permission_matrix.py) is set up,
offered in the admin, attempted by POST and verified in the database."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.urls import reverse
from reversion.models import Version

from articles import services
from articles.models import Article, Status, Transition
from media.models import Image
from menus.models import Menu
from menus.services import create_missing_menus
from newsroom.models import SiteSettings
from tests import images
from tests.admin_forms import add_story, change_form_data, post_step
from tests.factories import make_article, make_author, make_section

# --- Helpers ----------------------------------------------------------------------------------


def change_url(story) -> str:
    return reverse("admin:articles_article_change", args=[story.pk])


def change_page(client, story):
    return client.get(change_url(story))


def editable(page, field: str) -> bool:
    """Whether the change form offers `field` as an input (not read-only, not absent)."""
    return (
        page.status_code == 200
        and bool(page.context.get("has_change_permission"))
        and field in page.context["adminform"].form.fields
    )


def post_change(client, story, **changes):
    """What the change form sends back with `changes` made; a bare crafted POST when the user
    gets no form (a story they may not open)."""
    page = change_page(client, story)
    data = change_form_data(page) if page.status_code == 200 and page.context else {}
    data.update(changes)
    return client.post(change_url(story), data)


def story_for(ctx, *, status=Status.DRAFT, own=True, **fields):
    owner = ctx.user if own and ctx.user is not None else ctx.other
    return make_article(status=status, created_by=owner, **fields)


def step_url(story, action: str) -> str:
    return reverse("admin:articles_article_workflow", args=[story.pk, action])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def file_named(prefix: str) -> bool:
    _dirs, files = default_storage.listdir("")
    return any(name.startswith(prefix) for name in files)


@dataclass(frozen=True)
class Check:
    """How to set up, offer, attempt and verify one row of MATRIX."""

    setup: object  # (ctx) -> None: puts what the row needs on ctx
    offered: object  # (client, ctx) -> bool: the UI offers the action
    attempt: object  # (client, ctx) -> response: the POST
    done: object  # (ctx, response) -> bool: the database (or storage) changed


# --- Stories ----------------------------------------------------------------------------------


def _create_setup(ctx):
    ctx.section, ctx.author = make_section(), make_author()


CREATE = Check(
    setup=_create_setup,
    offered=lambda c, ctx: c.get(reverse("admin:articles_article_add")).status_code == 200,
    attempt=lambda c, ctx: add_story(c, ctx.section, ctx.author),
    done=lambda ctx, r: Article.objects.filter(headline="A new story").exists(),
)


def edit_check(**story) -> Check:
    def setup(ctx):
        ctx.story = story_for(ctx, **story)

    def done(ctx, response):
        ctx.story.refresh_from_db()
        return ctx.story.headline == "Edited headline"

    return Check(
        setup=setup,
        offered=lambda c, ctx: editable(change_page(c, ctx.story), "headline"),
        attempt=lambda c, ctx: post_change(c, ctx.story, headline="Edited headline"),
        done=done,
    )


def _delete_setup(ctx):
    ctx.story = story_for(ctx, own=False)


DELETE = Check(
    setup=_delete_setup,
    offered=lambda c, ctx: (
        c.get(reverse("admin:articles_article_delete", args=[ctx.story.pk])).status_code == 200
    ),
    attempt=lambda c, ctx: c.post(
        reverse("admin:articles_article_delete", args=[ctx.story.pk]), {"post": "yes"}
    ),
    done=lambda ctx, r: not Article.objects.filter(pk=ctx.story.pk).exists(),
)


def restore_check(*, own: bool) -> Check:
    def setup(ctx):
        writer = ctx.user if own and ctx.user is not None else ctx.other
        ctx.story = story_for(ctx, own=own, headline="Original")
        services.save_article(article=ctx.story, user=writer)
        ctx.story.headline = "Rewritten"
        services.save_article(article=ctx.story, user=writer)
        ctx.version = Version.objects.get_for_object(ctx.story).last()  # the oldest

    def url(ctx):
        return reverse("admin:articles_article_revision", args=[ctx.story.pk, ctx.version.pk])

    def offered(c, ctx):
        page = c.get(url(ctx))
        return page.status_code == 200 and b"Restore this version" in page.content

    def done(ctx, response):
        ctx.story.refresh_from_db()
        return ctx.story.headline == "Original"

    return Check(setup, offered, lambda c, ctx: c.post(url(ctx)), done)


def share_check(*, action: str, own: bool) -> Check:
    def setup(ctx):
        ctx.story = story_for(ctx, own=own)
        ctx.key = ctx.story.preview_key

    def offered(c, ctx):
        page = change_page(c, ctx.story)
        return page.status_code == 200 and f'value="{action}"'.encode() in page.content

    def attempt(c, ctx):
        url = reverse("admin:articles_article_share", args=[ctx.story.pk])
        return c.post(url, {"action": action})

    def done(ctx, response):
        if action == "revoke":
            ctx.story.refresh_from_db()
            return ctx.story.preview_key != ctx.key
        return response.status_code == 302 and any("/preview/" in m for m in messages_of(response))

    return Check(setup, offered, attempt, done)


# --- Workflow ---------------------------------------------------------------------------------


def step_check(action: str, start: str, end: str, *, own: bool = False, **fields) -> Check:
    def setup(ctx):
        ctx.story = story_for(ctx, status=start, own=own, **fields)

    def offered(c, ctx):
        page = change_page(c, ctx.story)
        button = f'name="_step" value="{action}"'.encode()  # "Save and …" in the story form
        # Unpublish and archive lead to a page that asks for a reason first.
        confirm = reverse("admin:articles_article_confirm_step", args=[ctx.story.pk, action])
        offered = button in page.content or f'href="{confirm}"'.encode() in page.content
        return page.status_code == 200 and offered

    def done(ctx, response):
        ctx.story.refresh_from_db()
        steps = list(Transition.objects.filter(article=ctx.story))
        if ctx.story.status != end:
            assert not steps  # a refused step leaves no trace in the history either
            return False
        [step] = steps
        assert (step.user, step.from_status, step.to_status) == (ctx.user, start, end)
        if action == "schedule":
            assert ctx.story.is_scheduled and ctx.story not in Article.objects.live()
        return True

    return Check(setup, offered, lambda c, ctx: post_step(c, ctx.story, action), done)


# --- Fields -----------------------------------------------------------------------------------


def field_check(field: str, post: dict, changed, **story) -> Check:
    def setup(ctx):
        ctx.story = story_for(ctx, **story)

    def done(ctx, response):
        ctx.story.refresh_from_db()
        return changed(ctx.story)

    return Check(
        setup=setup,
        offered=lambda c, ctx: editable(change_page(c, ctx.story), field),
        attempt=lambda c, ctx: post_change(c, ctx.story, **post),
        done=done,
    )


def _datetime(field: str) -> dict:
    return {f"{field}_0": "2031-01-01", f"{field}_1": "09:00:00"}


# --- The rest of the admin --------------------------------------------------------------------


def _library_post(c, ctx):
    return c.post(
        reverse("admin:media_image_add"),
        {"upload": images.upload("library.png", images.png_bytes()), "title": "Probe",
         "alt_text": "Alt", "caption": "", "credit": "Staff", "copyright_notice": "", "source": "",
         "licence": "", "usable_until": "", "focal_x": "0.5", "focal_y": "0.5"},
    )  # fmt: skip


LIBRARY_UPLOAD = Check(
    setup=lambda ctx: None,
    offered=lambda c, ctx: c.get(reverse("admin:media_image_add")).status_code == 200,
    attempt=_library_post,
    done=lambda ctx, r: Image.objects.exists(),
)

EDITOR_UPLOAD = Check(
    setup=lambda ctx: None,
    # The story editor's image button posts to the library's endpoint.
    offered=lambda c, ctx: (
        reverse("media:editor-upload").encode()
        in c.get(reverse("admin:articles_article_add")).content
    ),
    attempt=lambda c, ctx: c.post(
        reverse("media:editor-upload"),
        {"upload": images.upload("e.png", images.png_bytes()), "credit": "Staff"},
    ),
    done=lambda ctx, r: Image.objects.exists(),
)

# django-ckeditor-5 ships an upload view that stores the file as sent (the uploader's name, its
# EXIF and GPS), bypassing the library's checks. Nobody may reach it.
CKEDITOR_UPLOAD = Check(
    setup=lambda ctx: None,
    offered=lambda c, ctx: (
        b"/ckeditor5/image_upload/" in c.get(reverse("admin:articles_article_add")).content
    ),
    attempt=lambda c, ctx: c.post(
        "/ckeditor5/image_upload/",
        {"upload": images.upload("ckeditor-probe.jpeg", images.jpeg_with_gps())},
    ),
    done=lambda ctx, r: file_named("ckeditor-probe"),
)


def _settings_offered(c, ctx):
    page = c.get(reverse("admin:newsroom_sitesettings_change"))
    return page.status_code == 200 and bool(page.context.get("has_change_permission"))


SITE_SETTINGS = Check(
    setup=lambda ctx: SiteSettings.get_solo(),
    offered=_settings_offered,
    attempt=lambda c, ctx: c.post(
        reverse("admin:newsroom_sitesettings_change"),
        {"site_name": "Renamed", "tagline": ""},
    ),
    done=lambda ctx, r: SiteSettings.objects.get().site_name == "Renamed",
)


def _footer():
    return Menu.objects.get(name="footer")


def _menu_offered(c, ctx):
    page = c.get(reverse("admin:menus_menu_change", args=[_footer().pk]))
    return page.status_code == 200 and bool(page.context.get("has_change_permission"))


MENUS = Check(
    setup=lambda ctx: create_missing_menus(),
    offered=_menu_offered,
    attempt=lambda c, ctx: c.post(
        reverse("admin:menus_menu_change", args=[_footer().pk]),
        {
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-order": "1",
            "items-0-label": "Donate",
            "items-0-url": "https://donate.example.org/",
        },
    ),
    done=lambda ctx, r: _footer().items.filter(label="Donate").exists(),
)

MANAGE_USERS = Check(
    setup=lambda ctx: None,
    offered=lambda c, ctx: c.get(reverse("admin:auth_user_add")).status_code == 200,
    attempt=lambda c, ctx: c.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "password1": "A-long-pass-42!",
            "password2": "A-long-pass-42!",
            "usable_password": "true",
        },
    ),  # fmt: skip
    done=lambda ctx, r: get_user_model().objects.filter(username="newcomer").exists(),
)


# --- Newsletters ----------------------------------------------------------------------------


def _issue_setup(ctx):
    from newsletters.issues import create_issue
    from newsletters.models import Newsletter

    letter = Newsletter.objects.create(
        name="Weekly", slug="weekly", sender_name="Desk", sender_email="desk@example.org",
        source="site",
    )  # fmt: skip
    ctx.issue = create_issue(letter, [make_article(status=Status.PUBLISHED)], subject="Weekly")


def _issue_url(name: str, ctx) -> str:
    return reverse(f"admin:newsletters_issue_{name}", args=[ctx.issue.pk])


def _issue_intro_offered(c, ctx):
    page = c.get(_issue_url("change", ctx))
    return (
        page.status_code == 200
        and bool(page.context.get("has_change_permission"))
        and "intro" in page.context["adminform"].form.fields
    )


def _issue_intro_post(c, ctx):
    return c.post(
        _issue_url("change", ctx),
        {"subject": "Weekly", "intro": "A word first.", "items-TOTAL_FORMS": "0",
         "items-INITIAL_FORMS": "0"},
    )  # fmt: skip


def _issue_state(ctx):
    ctx.issue.refresh_from_db()
    return ctx.issue


ISSUE_INTRO = Check(
    setup=_issue_setup,
    offered=_issue_intro_offered,
    attempt=_issue_intro_post,
    done=lambda ctx, r: _issue_state(ctx).intro == "A word first.",
)

ISSUE_SEND = Check(
    setup=_issue_setup,
    offered=lambda c, ctx: c.get(_issue_url("send", ctx)).status_code == 200,
    attempt=lambda c, ctx: c.post(_issue_url("send", ctx)),
    done=lambda ctx, r: _issue_state(ctx).state == "sending",
)


CHECKS: dict[str, Check] = {
    "Create a story": CREATE,
    "Edit own draft": edit_check(),
    "Edit own story after submitting it": edit_check(status=Status.SUBMITTED),
    "Edit someone else's draft": edit_check(own=False),
    "Edit a live story": edit_check(status=Status.PUBLISHED, own=False),
    "Delete a story": DELETE,
    "Restore a revision of own draft": restore_check(own=True),
    "Restore a revision of someone else's draft": restore_check(own=False),
    "Make a share link for someone else's draft": share_check(action="create", own=False),
    "Revoke the share links of own draft": share_check(action="revoke", own=True),
    "Submit own draft": step_check("submit", Status.DRAFT, Status.SUBMITTED, own=True),
    "Submit someone else's draft": step_check("submit", Status.DRAFT, Status.SUBMITTED),
    "Approve a submitted story": step_check("approve", Status.SUBMITTED, Status.APPROVED),
    "Return a submitted story to its writer": step_check(
        "return", Status.SUBMITTED, Status.RETURNED
    ),
    "Publish an approved story now": step_check("publish", Status.APPROVED, Status.PUBLISHED),
    "Schedule an approved story": step_check("schedule", Status.APPROVED, Status.PUBLISHED),
    "Publish own draft, skipping the edit": step_check(
        "publish", Status.DRAFT, Status.PUBLISHED, own=True
    ),
    "Unpublish a live story": step_check("unpublish", Status.PUBLISHED, Status.UNPUBLISHED),
    "Archive an approved story": step_check("archive", Status.APPROVED, Status.ARCHIVED),
    "Archive a live story": step_check("archive", Status.PUBLISHED, Status.ARCHIVED),
    "Set the publish time": field_check(
        "publish_at", _datetime("publish_at"), lambda s: s.publish_at is not None
    ),
    "Set the unpublish time": field_check(
        "unpublish_at", _datetime("unpublish_at"), lambda s: s.unpublish_at is not None
    ),
    "Set the public 'Updated' time": field_check(
        "updated_at", _datetime("updated_at"), lambda s: s.updated_at is not None
    ),
    "Change the slug of own draft": field_check(
        "slug", {"slug": "moved-slug"}, lambda s: s.slug == "moved-slug"
    ),
    "Change the slug of a published story": field_check(
        "slug",
        {"slug": "moved-slug"},
        lambda s: s.slug == "moved-slug",
        status=Status.PUBLISHED,
        own=False,
    ),  # fmt: skip
    "Set the status field directly": field_check(
        "status", {"status": Status.PUBLISHED}, lambda s: s.status == Status.PUBLISHED
    ),
    "Upload an image to the library": LIBRARY_UPLOAD,
    "Upload an image from the story editor": EDITOR_UPLOAD,
    "Upload through CKEditor's own endpoint": CKEDITOR_UPLOAD,
    "Change site settings": SITE_SETTINGS,
    "Change the header or footer menu": MENUS,
    "Manage users": MANAGE_USERS,
    "Edit a newsletter issue's intro": ISSUE_INTRO,
    "Send a newsletter issue": ISSUE_SEND,
}
