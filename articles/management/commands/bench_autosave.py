"""Time the story form's autosave on the benchmark corpus: one editor's whole form, typed
into, sent to their working copy, as the form's script does every 15 s. In-process, with a
logged-in editor, against the database DATABASE_URL names (`make bench` runs it)."""

import statistics
import time
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from articles.management.editor_client import FormFields, replace
from articles.models import Article, WorkingCopy


class Command(BaseCommand):
    help = "Time autosave requests (p50/p95 ms) on the newest live story of the corpus."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=50)

    def handle(self, *args, requests, **options):
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
        timings.sort()
        self.stdout.write(
            f"autosave ({Article.objects.count()} stories): p50 "
            f"{statistics.median(timings):.1f} ms, p95 {timings[int(len(timings) * 0.95) - 1]:.1f} "
            f"ms over {requests} requests (target: under 100 ms)"
        )
