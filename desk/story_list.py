"""The desk's story list (the Article changelist): its filters, its search and its bulk
actions. Every bulk action goes through the services one story at a time, so each story is
checked against the roles as if its button had been pressed, and the editor is told what was
done and what was refused."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils import dateformat, timezone
from django.utils.functional import cached_property

from articles import services
from articles.models import Article, Author, Byline
from articles.models.article import SEARCH_CONFIG
from articles.search import clean_query

from .accents import fold


class MineFilter(admin.SimpleListFilter):
    """Stories I started or am in the byline of: a writer's own desk."""

    title = "writer"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "Mine")]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        bylined = Byline.objects.filter(author__user=request.user).values("article_id")
        return queryset.filter(Q(created_by=request.user) | Q(pk__in=bylined))


class AuthorFilter(admin.SimpleListFilter):
    """Stories with this person in the byline (a subquery: no duplicate rows to remove)."""

    title = "author"
    parameter_name = "author"

    def lookups(self, request, model_admin):
        authors = Author.objects.order_by("name").values_list("pk", "name")
        return [(str(pk), name) for pk, name in authors]

    def queryset(self, request, queryset):
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        return queryset.filter(pk__in=Byline.objects.filter(author_id=value).values("article_id"))


AUTHOR_IDS_INLINE = 5000


def short_time(moment) -> str:
    """A list's time in the site's zone, short: "Mon 7 Dec, 14:05" this year, else with
    the year ("7 Dec 2025, 14:05"); "—" when there is none."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    if local.year == timezone.localdate().year:
        return dateformat.format(local, "D j M, H:i")
    return dateformat.format(local, "j M Y, H:i")


class DeskPaginator(Paginator):
    """Counts at most COUNT_CAP stories: past that the list says "2000+", and its pages stop
    there (older stories are found by search and filters). The admin counts every match to
    number its pages: a common word's 100,000 matches meant testing every story's text
    (0.9 s), and even 10,000 took 0.1 s; the first pages are what an editor reads."""

    COUNT_CAP = 2_000

    @cached_property
    def count(self) -> int:
        found = self.object_list.order_by()[: self.COUNT_CAP + 1].count()
        self.capped = found > self.COUNT_CAP
        return min(found, self.COUNT_CAP)


def search_stories(stories, term: str):
    """Stories whose headline, dek or body match `term`, or with an author of that name.

    PostgreSQL uses the full-text index (`search_document`, stemmed: "hosts" finds "host",
    accents folded); SQLite, in development and tests, matches every word in the text."""
    term = clean_query(term)
    if not term:
        return stories
    # Accents folded on both sides (desk.accents): "Tomas" finds "Tomás" and back.
    folded = fold(term)
    by_author = Byline.objects.filter(author__name__unaccent__icontains=folded).values("article_id")
    if connection.vendor == "postgresql":
        query = SearchQuery(term, search_type="websearch", config=SEARCH_CONFIG)
        # The authors' stories as a list of ids, so the planner can choose: for a rare term,
        # the full-text (GIN) and primary-key indexes OR-ed as bitmaps; for a common one, the
        # newest-change index walked until a page is full. A union of the two as a subquery
        # made it compute every match first (2.4 s for a common word at 100,000 stories).
        ids = list(by_author.values_list("article_id", flat=True)[: AUTHOR_IDS_INLINE + 1])
        authored = by_author if len(ids) > AUTHOR_IDS_INLINE else ids
        return stories.filter(Q(search_document=query) | Q(pk__in=authored))
    words = Q()
    for word in folded.split()[:8]:
        word = word.strip("\"'+-()")
        if word:
            words &= (
                Q(headline__unaccent__icontains=word)
                | Q(dek__unaccent__icontains=word)
                | Q(body__unaccent__icontains=word)
            )
    return stories.filter(words | Q(pk__in=by_author))


# --- Bulk actions -----------------------------------------------------------------------------


def _report(model_admin, request, verb: str, done: list, refused: list) -> None:
    if done:
        names = ", ".join(f"“{story}”" for story in done)
        model_admin.message_user(request, f"{verb}: {names}.", messages.SUCCESS)
    if refused:
        why = "; ".join(f"“{story}”: {reason}" for story, reason in refused)
        model_admin.message_user(request, f"Not done: {why}", messages.WARNING)
    if not done and not refused:
        model_admin.message_user(request, "No stories were selected.", messages.WARNING)


def _each(stories, do) -> tuple[list, list]:
    """Run `do(story)` for each story, each in its own transaction (a service call)."""
    done, refused = [], []
    for story in stories:
        try:
            done.append(do(story) or story)
        except (PermissionDenied, ValidationError) as error:
            reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
            refused.append((story, " ".join(reasons)))
    return done, refused


def _ask(model_admin, request, stories, *, action: str, title: str, field: str, label: str):
    """The page between choosing an action and doing it, for the one thing it needs."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": Article._meta,
        "stories": stories,
        "action": action,
        "field": field,
        "label": label,
        "value": request.POST.get(field, ""),
        "checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "asked": "_confirm" in request.POST,
    }
    return TemplateResponse(request, "admin/articles/article/bulk_confirm.html", context)


def step_action(name: str):
    """A bulk action that takes one workflow step on each selected story."""
    step = services.STEPS[name]
    needs_words = step.needs_words

    def action(model_admin, request, queryset):
        comment = request.POST.get("reason", "").strip()
        if needs_words and not ("_confirm" in request.POST and comment):
            return _ask(
                model_admin, request, queryset, action=f"step_{name}", field="reason",
                title=f"{step.label}: the selected stories", label="Reason (required)",
            )  # fmt: skip
        done, refused = _each(
            queryset,
            lambda story: services.take_step(
                article=story, user=request.user, step=name, comment=comment
            ),
        )
        _report(model_admin, request, step.label, done, refused)

    action.__name__ = f"step_{name}"
    without = " (without email)" if step.may_email else ""  # never mails readers in bulk
    action.short_description = f"{step.label}{without}: the selected stories"
    return action


@admin.action(description="Add a tag to the selected stories")
def add_tag(model_admin, request, queryset):
    name = request.POST.get("tag", "").strip()
    if not ("_confirm" in request.POST and name):
        return _ask(
            model_admin, request, queryset, action="add_tag", field="tag",
            title="Add a tag to the selected stories", label="Tag",
        )  # fmt: skip
    done, refused = _each(
        queryset, lambda story: services.add_tag(article=story, user=request.user, name=name)
    )
    _report(model_admin, request, f"Tagged “{name}”", done, refused)


def actions_for(user) -> dict:
    """The bulk actions this user's role could ever take (each story is checked again)."""
    found = {}
    for name, step in services.STEPS.items():
        if not step.needs_time and user.has_perm(step.permission):
            action = step_action(name)
            found[action.__name__] = (action, action.__name__, action.short_description)
    if user.has_perm("articles.change_article"):
        found["add_tag"] = (add_tag, "add_tag", add_tag.short_description)
    return found


class StoryChangeList(ChangeList):
    """The list reads only what its columns show: not the body, nor the search column."""

    def get_queryset(self, request, exclude_parameters=None):
        stories = super().get_queryset(request, exclude_parameters)
        return stories.defer("body", "teaser", "search_document", "lead_image_caption")
