"""A realistic, deterministic archive for load tests: `generate_corpus --articles 100000`.

Bulk inserts in batches, with a progress bar. The same --seed always gives the same archive.
Adds to what is there; corpus rows are recognisable by their slugs ("…-c<number>").

It bypasses `articles.services.save_article` on purpose: story by story, with a revision each,
100,000 stories take over twenty minutes even on an in-memory SQLite database (14 ms a story,
measured) and longer on PostgreSQL, against minutes in bulk; a benchmark archive needs no
history. The writes are
made inside `invalidation.announced_by_service()` so the safety net does not report them row by row,
and the whole run is announced once, as a hard change (it adds scheduled stories).
"""

import random
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    RelatedArticle,
    Status,
    TaggedArticle,
)
from articles.models.article import SEARCH_DOCUMENT
from caching import invalidation
from devtools.synthetic import synthetic_photo
from media.renditions import build_renditions
from media.services import image_for_upload
from media.uploads import inspect_upload
from newsroom.progress import ProgressBar
from sections.models import Section, Series

WORDS = """
administration agreement alliance ambassador analysis annexation armistice arms army assembly
attack authority ballistic base battle blockade border budget cabinet campaign capital
ceasefire chancellor coalition command commander compromise conference conflict congress
constitution corridor council coup crisis delegation democracy deployment deterrence
diplomacy diplomat disarmament drone economy election embargo embassy envoy escalation
exchange exports federation foreign frontier gas government grain guarantee humanitarian
insurgency intelligence invasion kremlin law leader legislation militia minister ministry
missile mission navy negotiation negotiator neutrality nuclear occupation offensive oil
opposition parliament partnership peace pentagon pipeline policy president prisoner
proposal protest reconstruction referendum refugee regime region reform republic resolution
restraint sanctions security senate senator settlement sovereignty strategy strike summit
talks territory terror treaty troops truce tribunal ultimatum veto vote war weapons
withdrawal""".split()
PLACES = """Ukraine Russia Syria Iran Iraq Israel Gaza Lebanon Yemen Turkey Qatar Egypt Jordan
Libya Sudan Ethiopia Somalia Niger Mali Taiwan China Japan Korea India Pakistan Afghanistan
Armenia Azerbaijan Georgia Moldova Belarus Poland Finland Sweden Hungary Serbia Kosovo Cuba
Venezuela Colombia Mexico Brazil Haiti Sahel Crimea Donbas Kyiv Moscow Tehran Ankara Riyadh
Doha Cairo Beirut Damascus Baghdad Kabul Beijing Taipei Seoul Washington Brussels Geneva
Vienna Istanbul""".split()
FIRST = "Ana Ben Carla Dev Elif Farid Grace Hugo Ines Jonas Kenji Lena Malik Nora Omar".split()
LAST = "Adeyemi Berg Costa Dubois Evans Fischer Garcia Haddad Ito Jensen Kowalski Li".split()


class Command(BaseCommand):
    help = (
        "Generate a realistic, deterministic archive of stories for load and scale tests "
        "(sections, series, ~300 authors, ~2,000 tags, bodies of 600-1,500 words, images)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000, help="How many stories.")
        parser.add_argument("--seed", type=int, default=2026, help="Same seed, same archive.")
        parser.add_argument("--authors", type=int, default=300)
        parser.add_argument("--tags", type=int, default=2000)
        parser.add_argument("--images", type=int, default=24, help="Distinct lead images.")
        parser.add_argument("--batch", type=int, default=1000)
        parser.add_argument(
            "--like-peer", action="store_true",
            help="Shape every story like the Wagtail peer's article (make bench): all live, "
                 "a ~730-word body, 2 authors, 3 tags, a lead image, 3 related stories, and "
                 "40%% of them in a series.",
        )  # fmt: skip
        parser.add_argument("--dry-run", action="store_true", help="Say what would be made.")

    def handle(
        self, *args, articles, seed, authors, tags, images, batch, dry_run, like_peer, **options
    ):
        if not 1 <= articles <= 1_000_000:
            raise CommandError("--articles must be between 1 and 1,000,000.")
        if dry_run:
            self.stdout.write(
                f"Would add {articles} stories, {authors} authors, {tags} tags and {images} "
                f"images (seed {seed})."
            )
            return
        # One generator for the furniture, another for the stories: re-running over existing
        # authors or sections must not shift what the stories come out as.
        self.rng = random.Random(f"{seed}-furniture")
        self.verbose = options["verbosity"] >= 1
        self.like_peer = like_peer
        started = time.monotonic()
        try:
            with invalidation.announced_by_service():
                self.generate(articles, seed, authors, tags, images, batch)
        finally:  # once, and also for the batches an interrupted run committed
            invalidation.announce(invalidation.HARD)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Fresh statistics (or the planner guesses) and a visibility map (index-only counts)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # visibility map: index-only counts
        self.stdout.write(self.style.SUCCESS(
            f"Added {articles} stories ({Article.objects.count()} in all) "
            f"in {time.monotonic() - started:.0f}s."
        ))  # fmt: skip

    def generate(self, articles, seed, authors, tags, images, batch) -> None:
        start = Article.objects.filter(slug__regex=r"-c[0-9]+$").count()
        sections, series = self.structure()
        author_ids = self.authors(authors)
        tag_ids = self.tags(tags)
        image_ids = self.images(images)
        self.rng = random.Random(f"{seed}-stories")
        self.stories(articles, start, sections, series, author_ids, tag_ids, image_ids, batch)

    # --- The furniture -------------------------------------------------------------------

    def structure(self):
        sections = []
        for top in ("Regions", "Security", "Economy", "Diplomacy", "Opinion"):
            parent, _ = Section.objects.get_or_create(
                slug=f"corpus-{slugify(top)}", defaults={"name": top}
            )
            sections.append(parent.pk)
            for place in self.rng.sample(PLACES, 4):
                child, _ = Section.objects.get_or_create(
                    slug=f"corpus-{slugify(top)}-{slugify(place)}",
                    defaults={"name": place, "parent": parent, "show_in_navigation": False},
                )
                sections.append(child.pk)
        series = [
            Series.objects.get_or_create(slug=slug, defaults={"name": n, "cadence": c})[0].pk
            for slug, n, c in (
                ("corpus-diplomacy-watch", "Diplomacy Watch", "Every Friday"),
                ("corpus-defense-brief", "Defense Brief", "Every Tuesday"),
                ("corpus-dispatch", "Dispatch", "Monthly"),
            )
        ]  # fmt: skip
        return sections, series

    def authors(self, count: int) -> list[int]:
        existing = set(Author.objects.filter(slug__startswith="corpus-author-")
                       .values_list("slug", flat=True))  # fmt: skip
        new = []
        for n in range(count):
            slug = f"corpus-author-{n}"
            if slug not in existing:
                name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]} {n}"
                bio = f"{name} writes about {self.rng.choice(PLACES)}."
                new.append(Author(slug=slug, name=name, job_title="Contributor", bio=bio))
        Author.objects.bulk_create(new, batch_size=1000)
        return list(Author.objects.filter(slug__startswith="corpus-author-")
                    .values_list("pk", flat=True))  # fmt: skip

    def tags(self, count: int) -> list[int]:
        names = [f"{PLACES[n % len(PLACES)]} {WORDS[(n // len(PLACES)) % len(WORDS)]}"
                 for n in range(count)]  # fmt: skip
        existing = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
        Tag.objects.bulk_create(
            [Tag(name=name, slug=slugify(name)) for name in names if name not in existing],
            batch_size=1000,
        )
        return list(Tag.objects.filter(name__in=names).values_list("pk", flat=True))

    def images(self, count: int) -> list[int]:
        ids = []
        bar = ProgressBar(count, label="images  ", enabled=self.verbose, stream=self.stderr)
        for n in range(count):
            upload = ContentFile(synthetic_photo(1600, 1000, n), name=f"corpus-{n}.jpg")
            image = image_for_upload(
                inspected=inspect_upload(upload), filename=upload.name, user=None,
                title=f"Corpus picture {n}", alt_text=f"Picture {n}",
                credit=f"Photographer {n}/Pool via Wire", caption=f"Scene {n}.",
            )  # fmt: skip
            if not image.renditions.exists():
                build_renditions(image)
            ids.append(image.pk)
            bar.advance()
        bar.finish()
        return ids

    # --- The stories ---------------------------------------------------------------------

    def sentence(self) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(9, 22))
        words[self.rng.randrange(len(words))] = self.rng.choice(PLACES)
        return " ".join(words).capitalize() + "."

    def body(self) -> str:
        # the peer: about 730 words (a paragraph overshoots the target by 60 on average)
        target = self.rng.randint(650, 690) if self.like_peer else self.rng.randint(600, 1500)
        words, parts = 0, []
        while words < target:
            paragraph = " ".join(self.sentence() for _ in range(self.rng.randint(3, 6)))
            roll = self.rng.random()
            if roll < 0.08:
                parts.append(f"<blockquote><p>{paragraph}</p></blockquote>")
            elif roll < 0.3:
                place = self.rng.choice(PLACES)
                parts.append(f'<p>{paragraph} <a href="https://example.org/{place.lower()}">'
                             f"More on {place}</a>.</p>")  # fmt: skip
            else:
                parts.append(f"<p>{paragraph}</p>")
            words += paragraph.count(" ") + 1
        return "".join(parts)

    def stories(self, count, start, sections, series, author_ids, tag_ids, image_ids, batch):
        now = timezone.now()
        bar = ProgressBar(count, label="stories ", enabled=self.verbose, stream=self.stderr)
        made_ids: list[int] = list(
            Article.objects.filter(slug__regex=r"-c[0-9]+$").values_list("pk", flat=True)[:5000]
        )
        for first in range(start, start + count, batch):
            numbers = range(first, min(first + batch, start + count))
            rows = [self.story(n, now, sections, series, image_ids) for n in numbers]
            with transaction.atomic():
                created = Article.objects.bulk_create(rows, batch_size=batch)
                ids = [a.pk for a in created]
                self.relations(created, made_ids, author_ids, tag_ids)
                if connection.vendor == "postgresql":
                    Article.objects.filter(pk__in=ids).update(search_document=SEARCH_DOCUMENT)
            made_ids.extend(ids)
            bar.advance(len(rows))
        bar.finish()

    def story(self, n, now, sections, series, image_ids) -> Article:
        rng = self.rng
        with_image = 1.0 if self.like_peer else 0.85
        headline = " ".join(rng.choices(WORDS, k=rng.randint(4, 9))).capitalize()
        headline = f"{rng.choice(PLACES)}: {headline}"
        roll = 1.0 if self.like_peer else rng.random()  # the peer's articles are all live
        if roll < 0.05:
            status, publish_at = Status.DRAFT, None
        elif roll < 0.08:
            status, publish_at = Status.PUBLISHED, now + timedelta(minutes=rng.randint(5, 43200))
        else:
            status = Status.PUBLISHED
            publish_at = now - timedelta(minutes=rng.randint(1, 8 * 365 * 24 * 60))
        return Article(
            headline=headline[:255],
            slug=f"{slugify(headline)[:80].strip('-')}-c{n}",
            kicker=rng.choice(PLACES).lower(),
            article_type=rng.choice(["news", "news", "analysis", "opinion", "feature"]),
            dek=self.sentence(),
            body=self.body(),
            section_id=rng.choice(sections),
            # the peer's: 2 of every 5 stories in a series, in turn
            series_id=(series[n % len(series)] if n % 5 in (1, 3) else None)
            if self.like_peer
            else self.some(series, share=0.1),
            lead_image_id=self.some(image_ids, share=with_image),
            status=status,
            publish_at=publish_at,
            first_published_at=publish_at if status == Status.PUBLISHED else None,
        )

    def some(self, choices: list, *, share: float):
        """One of `choices` for that share of the stories, else None."""
        return self.rng.choice(choices) if choices and self.rng.random() < share else None

    def relations(self, created, earlier, author_ids, tag_ids):
        rng = self.rng
        bylines, tagged, related, corrections = [], [], [], []
        for n, article in enumerate(created):
            authors = 2 if self.like_peer else rng.randint(1, 3)
            for order, author in enumerate(rng.sample(author_ids, authors)):
                bylines.append(Byline(article=article, author_id=author, order=order))
            for tag in rng.sample(tag_ids, 3 if self.like_peer else rng.randint(3, 6)):
                tagged.append(TaggedArticle(content_object=article, tag_id=tag))
            # Like the peer, every story has 3 related (but the archive's first two stories)
            pool = [*earlier, *(a.pk for a in created[:n])] if self.like_peer else earlier
            if pool:
                for order, other in enumerate(set(rng.sample(pool, min(len(pool), 3)))):
                    if self.like_peer or rng.random() < 0.6:
                        related.append(RelatedArticle(article=article, related_id=other,
                                                      order=order))  # fmt: skip
            if rng.random() < 0.03 and not self.like_peer:  # the peer has no corrections
                when = article.publish_at or timezone.now()
                corrections.append(
                    Correction(article=article, text=self.sentence(), published_at=when)
                )
        Byline.objects.bulk_create(bylines, batch_size=2000)
        TaggedArticle.objects.bulk_create(tagged, batch_size=2000)
        RelatedArticle.objects.bulk_create(related, batch_size=2000)
        Correction.objects.bulk_create(corrections, batch_size=2000)
