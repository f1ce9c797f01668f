"""Every desk page, walked by each role at a laptop's width and a phone's, reads as a newsroom
desk: no JavaScript error or CSP violation, no sideways scrolling, and none of the stock
Django-admin phrases (or usernames where a person's name belongs) in what staff see.

The pages come from the admin's registry (each model's list, add form, first item and its
history) plus the story pages (one story in each status, its history, compare, preview,
confirmation steps), so a page added later is walked without editing this test."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from reversion.models import Version

from articles import roles, services
from articles.models import Article, Status
from articles.roles import CONTRIBUTOR, EDITOR, PUBLISHER
from newsletters.models import Issue
from pages import services as page_services
from pages.models import Page
from tests.audience import rollup_factories as rollups
from tests.browser.staff import log_in, record_errors
from tests.factories import make_article, make_author, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]

SIZES = {"laptop": (1366, 900), "phone": (390, 844)}
ADMINISTRATOR = "Administrator"

# Stock Django-admin wording that has no place where staff work (matched case-insensitively
# against the page's visible text). Extend it with what a walk finds.
ADMIN_PHRASES = [
    r"select [\w ]+ to (change|view)",
    r"\bchange (story|article|author|section|series|image|tag|issue|newsletter|subscriber)\b",
    r"\badd article\b",
    r"\btaggit\b",
    r"revert to a previous version of this object",
    r"\bthis object\b",
    r"published the pending changes #",
    r"from “(\w[\w ]*)” to “\1”",
    r"django administration",
    r"django site admin",
    r"site administration",
    r"recover deleted",
    r"(?m):\s*None\b|^\s*None\s*$",  # a missing value shown as Python's None
    r"\(none\)",
    r"none available",
    r"\bobjects?\b",
    r"\bpopup\b",
    r"\bpk\b",
]

# Pages where a phrase is the subject, not the admin talking: the staff accounts pages are
# about login names and Django's permission names ("Can change story"); a background task
# is named by its library.
EXEMPT = {
    "/admin/auth/": ["username", r"\bchange (story|article|author|section|series|image|tag|"],
    "/admin/axes/": ["username"],
    "/admin/django_tasks_database/": [r"\bobjects?\b"],
}

STATUSES = [
    Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.PUBLISHED,
    Status.UNPUBLISHED, Status.ARCHIVED,
]  # fmt: skip


def make_staff() -> dict:
    """One person per role, with a full name and a username unlike any word on a page."""
    people = {}
    for role, first, last in [
        (CONTRIBUTOR, "Priya", "Walker"),
        (EDITOR, "Mara", "Walker"),
        (PUBLISHER, "Daniel", "Walker"),
        (ADMINISTRATOR, "Ada", "Walker"),
    ]:
        username = f"walk_{role.lower()[:5]}_xq"
        if role == ADMINISTRATOR:
            user = make_user(superuser=True, username=username)
        else:
            user = make_user(role, username=username)
        user.first_name, user.last_name = first, last
        user.save()
        people[role] = user
    return people


def stories_in_each_status(people) -> dict:
    """A story of the contributor's in each status, each saved twice (so it has a history)."""
    writer = people[CONTRIBUTOR]
    author = make_author(name="Tomás Walker", user=writer)
    stories = {}
    for status in STATUSES:
        story = make_article(
            status=status, author=author, created_by=writer, headline=f"Walk: a {status} story"
        )
        for dek in ("First dek", "Revised dek"):
            story.dek = dek
            services.save_article(article=story, user=people[EDITOR])
        stories[status] = story
    # A story that went through the workflow, so its steps, the return comment and the
    # notifications name people.
    worked = make_article(author=author, created_by=writer, headline="Walk: a worked story")
    services.take_step(article=worked, user=writer, step="submit")
    services.take_step(article=worked, user=people[EDITOR], step="return", comment="Tighten it")
    stories["worked"] = worked
    return stories


def model_pages(user) -> list[str]:
    """Each registered model's list, add form, first item and its history, as the user may."""
    request = type("Request", (), {"user": user})()
    pages = []
    for model, model_admin in admin.site._registry.items():
        if model is Article or not model_admin.has_view_or_change_permission(request):
            continue
        info = model._meta.app_label, model._meta.model_name
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is not None:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            pages.append(reverse("admin:{}_{}_history".format(*info), args=[first.pk]))
    return pages


def story_pages(user, stories) -> list[str]:
    """The story list (plain, filtered, searched), the add form, the calendar, and for each
    story the user may open: its form, history, compare, preview and confirmation steps."""
    changelist = reverse("admin:articles_article_changelist")
    pages = [
        changelist,
        f"{changelist}?state=draft",
        f"{changelist}?state=live&section__id__exact={stories[Status.DRAFT].section_id}",
        f"{changelist}?q=Tomas",
        f"{changelist}?q=nothing+matches+this",
        reverse("admin:articles_calendar"),
    ]
    if user.has_perm("articles.add_article"):
        pages.append(reverse("admin:articles_article_add"))
    for story in stories.values():
        if not (user.has_perm("articles.change_any_article") or story.created_by_id == user.pk
                or story.is_live()):  # fmt: skip
            continue
        pages += [
            reverse("admin:articles_article_change", args=[story.pk]),
            reverse("admin:articles_article_history", args=[story.pk]),
            reverse("admin:articles_article_preview", args=[story.pk]),
        ]
        versions = list(Version.objects.get_for_object(story).values_list("pk", flat=True)[:2])
        if len(versions) == 2:
            compare = reverse("admin:articles_article_compare", args=[story.pk])
            pages.append(f"{compare}?version_id1={versions[1]}&version_id2={versions[0]}")
        for step, allowed in (("unpublish", roles.can_unpublish), ("archive", roles.can_archive)):
            if allowed(user, story):
                pages.append(reverse("admin:articles_article_confirm_step", args=[story.pk, step]))
    return pages


def a_page_with_a_history(people) -> Page:
    """A live page of the newsroom's own, saved twice and published (History, compare)."""
    page = Page(title="Walk: about us", slug="walk-about", body="<p>Who we are.</p>")
    for body in ("<p>Who we are.</p>", "<p>Who we are, and why.</p>"):
        page.body = body
        page_services.save_page(page=page, user=people[EDITOR])
    page_services.submit_page(page=page, user=people[EDITOR])
    page_services.approve_page(page=page, user=people[EDITOR])
    return page_services.publish_page(page=page, user=people[PUBLISHER])


def page_pages(user) -> list[str]:
    """The pages of a page beyond its form and history (model_pages): preview, compare and
    the restore page."""
    page = Page.objects.order_by("pk").first()
    if page is None or not user.has_perm("pages.view_page"):
        return []
    versions = list(Version.objects.get_for_object(page).values_list("pk", flat=True)[:2])
    compare = reverse("admin:pages_page_compare", args=[page.pk])
    return [
        reverse("admin:pages_page_preview", args=[page.pk]),
        f"{compare}?version_id1={versions[1]}&version_id2={versions[0]}",
        reverse("admin:pages_page_revision", args=[page.pk, versions[1]]),
    ]


def desk_pages(user, stories) -> list[str]:
    """Every desk page this user may open."""
    pages = ["/admin/", reverse("admin:desk_notifications"), reverse("admin:desk_preferences")]
    pages += story_pages(user, stories)
    # The audience figures (desk/audience_views.py): every role has them, of what it may see.
    pages += [reverse("admin:audience"), f"{reverse('admin:audience')}?period=30d"]
    pages.append(reverse("admin:audience-story", args=[stories[Status.PUBLISHED].pk]))
    pages += page_pages(user)
    pages += model_pages(user)
    if user.has_perm("newsletters.view_issue"):
        for issue in Issue.objects.order_by("pk"):  # the demo's sent issue and scheduled one
            pages += [
                reverse("admin:newsletters_issue_change", args=[issue.pk]),
                reverse("admin:newsletters_issue_preview_email", args=[issue.pk]),
                reverse("admin:newsletters_issue_send", args=[issue.pk]),
            ]
    return list(dict.fromkeys(pages))


def problems_on(page, path: str, people) -> list[str]:
    """What is wrong with the page as shown: sideways scrolling, admin phrases, usernames."""
    found = []
    exempt = [rule for prefix, rules in EXEMPT.items() if path.startswith(prefix) for rule in rules]
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        widest = page.evaluate(
            """() => { const w = document.documentElement.clientWidth;
            const over = [...document.querySelectorAll('body *')].filter(e => {
              const r = e.getBoundingClientRect(); return r.right > w + 1 && r.width > 0; });
            return over.slice(-3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
              + (e.className && typeof e.className == 'string' ? '.' +
              e.className.trim().split(/\\s+/).join('.') : '')).join(', '); }"""
        )
        found.append(f"scrolls sideways by {overflow}px ({widest})")
    text = page.locator("body").inner_text()
    # A user's password is summarised by random characters ("salt: Pk****"): not words.
    text = re.sub(r"algorithm:.*?hash:\s*\S+", "", text, flags=re.S)
    for phrase in ADMIN_PHRASES:
        if any(phrase.startswith(rule) for rule in exempt):
            continue
        match = re.search(phrase, text, re.IGNORECASE)
        if match:
            start = max(match.start() - 30, 0)
            context = text[start : match.end() + 30].replace("\n", " ")
            found.append(f"says {match.group(0)!r}: …{context}…")
    for person in people.values():
        if "username" not in exempt and re.search(rf"\b{person.username}\b", text):
            found.append(f"shows the username {person.username}")
    return found


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", [CONTRIBUTOR, EDITOR, PUBLISHER, ADMINISTRATOR])
def test_every_desk_page_reads_as_a_newsroom_desk(demo_site, browser, settings, role, size):
    settings.SITE_URL = demo_site  # the email preview's pictures come from the site
    people = make_staff()
    stories = stories_in_each_status(people)
    a_page_with_a_history(people)
    rollups.story_read(stories[Status.PUBLISHED], views=40, engaged_seconds=90, engagements=3)
    rollups.came_from("story", stories[Status.PUBLISHED].pk, "referrer", "search", 40)
    user = people[role]
    pages = desk_pages(user, stories)
    assert len(pages) > 15
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors = record_errors(page)
    log_in(page, demo_site, user)
    failures = []
    for path in pages:
        response = page.goto(demo_site + path)  # deferred scripts have run by "load"
        if response.status != 200:
            failures.append(f"{path}: answered {response.status}")
            continue
        failures += [f"{path}: {problem}" for problem in problems_on(page, path, people)]
        failures += [f"{path}: {error}" for error in errors]
        errors.clear()
    context.close()
    assert not failures, f"{role} at {width}px:\n" + "\n".join(failures)
