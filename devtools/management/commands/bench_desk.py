"""Time the desk on the benchmark corpus, in-process, against the database DATABASE_URL names
(`make bench` runs it): each role's desk home, the story list and its search, and the story
form's autosave (one editor's whole form, typed into, sent to their working copy, as the
form's script does every 15 s). Targets: pages under 300 ms, autosave under 100 ms."""

import statistics
import time
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from articles.models import Article
from articles.roles import CONTRIBUTOR, EDITOR, PUBLISHER, sync_role_groups
from desk.models import WorkingCopy
from devtools.management.editor_client import FormFields, replace


class Command(BaseCommand):
    help = "Time the desk homes, the story list and autosave (p50/p95 ms) on the corpus."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=50)
        parser.add_argument("--story-list-only", action="store_true",
                            help="Time only the story list (make bench).")  # fmt: skip

    def handle(self, *args, requests, story_list_only, **options):
        stories = Article.objects.count()
        sync_role_groups()
        for role in () if story_list_only else (CONTRIBUTOR, EDITOR, PUBLISHER):
            user, _ = get_user_model().objects.get_or_create(
                username=f"bench-{role.lower()}", defaults={"is_staff": True}
            )
            user.groups.set([Group.objects.get(name=role)])
            self.page(f"desk home, {role.lower()}", user, "/admin/", requests // 3, stories)
        admin = get_user_model().objects.get_or_create(
            username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
        )[0]
        list_requests = requests if story_list_only else requests // 3
        self.page("story list", admin, "/admin/articles/article/", list_requests, stories)
        if story_list_only:
            return
        self.page(
            "story list, search", admin, "/admin/articles/article/?q=peace+talks", requests // 3,
            stories,
        )  # fmt: skip
        self.autosave(requests)

    def page(self, name: str, user, path: str, requests: int, stories: int) -> None:
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        timings = []
        for n in range(max(requests, 3) + 2):
            started = time.perf_counter()
            response = client.get(path)
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code} to {user}")
            if n >= 2:  # the first requests warm connections and templates
                timings.append((time.perf_counter() - started) * 1000)
        self.stdout.write(f"{name} ({stories} stories): {_percentiles(timings)} "
                          f"(target: under 300 ms)")  # fmt: skip

    def autosave(self, requests: int) -> None:
        story = Article.objects.live().order_by("-publish_at").first()
        if story is None:
            raise CommandError("No live story: run generate_corpus first.")
        user, _ = get_user_model().objects.get_or_create(
            username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        form = FormFields("article_form")
        form.feed(client.get(f"/admin/articles/article/{story.pk}/change/").content.decode())
        url = f"/admin/articles/article/{story.pk}/autosave/"
        version = Article.objects.values_list("version", flat=True).get(pk=story.pk)
        timings = []
        for n in range(requests + 3):
            body = urlencode(replace(form.fields, "body", f"<p>Typed, take {n}.</p>"))
            started = time.perf_counter()
            response = client.post(url, body, content_type="application/x-www-form-urlencoded")
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise CommandError(f"autosave answered {response.status_code}")
            if n >= 3:  # the first requests warm connections and templates
                timings.append(elapsed)
        if Article.objects.values_list("version", flat=True).get(pk=story.pk) != version:
            raise CommandError("autosave changed the story itself")
        WorkingCopy.objects.filter(user=user).delete()
        self.stdout.write(
            f"autosave ({Article.objects.count()} stories): {_percentiles(timings)} "
            f"(target: under 100 ms)"
        )


def _percentiles(timings: list[float]) -> str:
    timings = sorted(timings)
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms over {len(timings)} requests"
