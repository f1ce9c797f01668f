"""Build the demo newsroom: sections, a series, authors, images, stories and staff accounts."""

import io
import json
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from taggit.models import Tag

from articles import services
from articles.changes import Relations
from articles.models import Article, Author, Status, Transition
from articles.roles import sync_role_groups
from caching import invalidation
from media.models import Image
from media.services import image_for_upload
from media.uploads import inspect_upload
from newsroom import demo_audience, demo_own_pages, richtext
from newsroom import demo_content as demo
from newsroom.models import SiteSettings
from sections.models import Section, Series


def placeholder_jpeg(title: str, colours, size=(1600, 900)) -> bytes:
    """A generated gradient with the picture's title: no stock photo needed."""
    (r1, g1, b1), (r2, g2, b2) = colours
    width, height = size
    image = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for x in range(width):
        t = x / (width - 1)
        colour = (round(r1 + (r2 - r1) * t), round(g1 + (g2 - g1) * t), round(b1 + (b2 - b1) * t))
        draw.line([(x, 0), (x, height)], fill=colour)
    draw.text((40, height - 80), title, fill=(255, 255, 255), font_size=48)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


class Command(BaseCommand):
    help = (
        "Load the demo newsroom (safe to run again: it only adds what is missing). "
        "Staff accounts are created only where settings.DEMO_ACCOUNTS is on (never in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--logins-file",
            default=str(settings.VAR_DIR / "demo-logins.json"),
            help="Where the demo staff passwords are kept between runs (git-ignored).",
        )

    def handle(self, *args, logins_file, **options):
        self.verbosity = options["verbosity"]
        self.added = False  # sections, authors, pictures or site settings: not stories
        # Readers' caches hear of the whole load once, when it commits: the stories' own kind
        # (save_article), or soft when only the rest was added.
        with transaction.atomic(), invalidation.announced_by_service():
            self.load_site()
            sections = self.load_sections()
            series = self.load_series()
            images = self.load_images()
            authors = self.load_authors(images)
            logins = self.load_staff(authors, logins_file) if settings.DEMO_ACCOUNTS else {}
            created = self.load_articles(sections, series, images, authors)
            pages = demo_own_pages.load(log=self.log)
            self.load_newsletter(series)
            if demo_own_pages.name_in_settings(pages):
                self.added = True
            if self.added:
                invalidation.announce(invalidation.SOFT)
        # Four weeks of readers for the desk's charts, folded once all the rest is saved.
        demo_audience.load(log=self.log)
        live = Article.objects.live().count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom ready: {Article.objects.count()} stories ({created} new, "
                f"{live} live), {len(authors)} authors, {len(images)} images, "
                f"{len(pages)} pages."
            )
        )
        if logins:
            self.stdout.write("Demo staff logins (sign in at /admin/ on the demo site):")
            for username, (role, password) in logins.items():
                self.stdout.write(f"  {role:<12} {username:<12} {password}")
        elif not settings.DEMO_ACCOUNTS:
            self.stdout.write("No demo staff accounts: these settings do not allow them.")

    def log(self, message: str) -> None:
        if self.verbosity >= 2:
            self.stdout.write(message)

    def load_site(self):
        site = SiteSettings.get_solo()
        if site.site_name == SiteSettings._meta.get_field("site_name").default:
            for name, value in demo.SITE.items():
                setattr(site, name, value)
            site.save()
            self.added = True
        elif not site.contact_email:  # a demo loaded before the contact form existed
            site.contact_email = demo.SITE["contact_email"]
            site.save(update_fields=["contact_email"])
            self.added = True

    def load_sections(self) -> dict[str, Section]:
        sections = {}
        for slug, name, parent, order, description in demo.SECTIONS:
            sections[slug], created = Section.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "parent": sections.get(parent),
                    "order": order,
                    "description": description,
                },
            )
            self.added |= created
        return sections

    def load_series(self) -> Series:
        data = dict(demo.SERIES)
        series, created = Series.objects.get_or_create(slug=data.pop("slug"), defaults=data)
        self.added |= created
        return series

    def load_images(self) -> dict[str, Image]:
        images = {}
        for key, (title, caption, credit, source, colours) in demo.IMAGES.items():
            image = Image.objects.filter(title=title).first()
            if image is None:
                upload = ContentFile(placeholder_jpeg(title, colours), name=f"{key}.jpg")
                image = image_for_upload(
                    inspected=inspect_upload(upload),
                    filename=upload.name,
                    user=None,
                    title=title,
                    alt_text=caption,
                    caption=caption,
                    credit=credit,
                    source=source,
                    licence="Demo image, generated",
                    usable_until=(
                        timezone.localdate() + timedelta(days=demo.RIGHTS_END_IN_DAYS[key])
                        if key in demo.RIGHTS_END_IN_DAYS
                        else None
                    ),
                )
                self.added = True
                self.log(f"Image: {title}")
            images[key] = image
        return images

    def load_authors(self, images) -> dict[str, Author]:
        authors = {}
        for slug, name, job_title, bio in demo.AUTHORS:
            authors[slug], created = Author.objects.get_or_create(
                slug=slug, defaults={"name": name, "job_title": job_title, "bio": bio}
            )
            self.added |= created
            # The profile's other fields, where still empty: an edit made since is kept.
            profile = dict(demo.AUTHOR_PROFILES.get(slug, {}))
            if "photo" in profile:
                profile["photo"] = images[profile["photo"]]
            missing = {k: v for k, v in profile.items() if not getattr(authors[slug], k)}
            if missing:
                for field, value in missing.items():
                    setattr(authors[slug], field, value)
                authors[slug].save(update_fields=list(missing))
                self.added = True
        return authors

    def load_articles(self, sections, series, images, authors) -> int:
        """The stories, saved by the services like any other (a revision each, with byline,
        tags and corrections), in the state the demo shows them: published, scheduled,
        submitted or draft, with the Transition that state would have left."""
        now = timezone.now()
        created = 0
        for data in demo.ARTICLES:
            if Article.objects.filter(slug=data["slug"]).exists():
                continue
            article, relations = self.demo_article(data, sections, series, images, authors, now)
            services.save_article(
                article=article,
                user=services.SYSTEM,
                relations=relations,
                comment="Loaded with the demo newsroom",
            )
            if article.status != Status.DRAFT:
                Transition.objects.create(
                    article=article,
                    from_status=data.get("from_status", Status.DRAFT),
                    to_status=article.status,
                    comment=data.get("comment", "Demo content"),
                )
            created += 1
            self.log(f"Story: {article.headline} ({article.display_status})")
        self.link_related()
        return created

    def demo_article(self, data, sections, series, images, authors, now):
        """One demo story, not yet saved, and the rows of its byline, tags, corrections and
        sources."""
        body = "".join(
            richtext.KEEP_READING_BREAK
            if paragraph == demo.BREAK
            else paragraph
            if paragraph.startswith("<")
            else f"<p>{paragraph}</p>"
            for paragraph in data["body"]
        )
        days_ago = data["days_ago"]
        published = days_ago is not None
        publish_at = now - timedelta(days=days_ago) if published else None
        if published and 0 < days_ago < 1:
            # "Published today" on the publisher's desk, even just after midnight (site time).
            midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
            publish_at = max(publish_at, midnight + (now - midnight) / 2)
        writer = authors[data["authors"][0][0]]
        corrections = []
        if data["slug"] in demo.CORRECTIONS:
            kind, text = demo.CORRECTIONS[data["slug"]]
            corrections.append({"kind": kind, "text": text, "published_at": now})
        article = Article(
            slug=data["slug"],
            headline=data["headline"],
            kicker=data["kicker"],
            article_type=data["type"],
            sponsor_name=data.get("sponsor_name", ""),
            sponsor_url=data.get("sponsor_url", ""),
            section=sections[data["section"]],
            series=series if data["series"] else None,
            lead_image=images.get(data["image"]),
            dek=data["dek"],
            body=body,
            status=Status.PUBLISHED if published else data.get("status", Status.DRAFT),
            publish_at=publish_at,
            first_published_at=publish_at,
            updated_at=now if corrections else None,
            created_by=writer.user,
            last_edited_by=writer.user,
        )
        relations = Relations(
            bylines=[
                {"author_id": authors[slug].pk, "role": role, "order": order}
                for order, (slug, role) in enumerate(data["authors"])
            ],
            tags=[Tag.objects.get_or_create(name=name)[0].pk for name in data["tags"]],
            corrections=corrections,
            sources=[
                {
                    "title": title,
                    "publisher": publisher,
                    "url": url,
                    "order": order,
                    "published_on": date.fromisoformat(on) if on else None,
                }
                for order, (title, publisher, url, on) in enumerate(
                    demo.SOURCES.get(data["slug"], [])
                )
            ],  # fmt: skip
        )
        return article, relations

    def link_related(self) -> None:
        """Related stories, once every story exists (they point at each other); a story whose
        links are already as the demo has them is left alone."""
        for data in demo.ARTICLES:
            article = Article.objects.get(slug=data["slug"])
            wanted = [
                {"related_id": Article.objects.get(slug=slug).pk, "order": order}
                for order, slug in enumerate(data["related"])
            ]
            if list(article.related_links.order_by("order").values("related_id", "order")) == (
                wanted
            ):
                continue
            services.save_article(
                article=article,
                user=services.SYSTEM,
                relations=Relations(related=wanted),
                comment="Loaded with the demo newsroom: related stories",
            )

    def load_newsletter(self, series) -> None:
        """The series' newsletter, sending each installment by itself, with a few confirmed
        readers and its newest installment already sent to them, through the newsletter
        services: the issue is made and queued as publishing does it, and its deliveries are
        recorded as the worker records a send (no mail goes out)."""
        from newsletters import issues, sending
        from newsletters.models import Delivery, Issue, Newsletter, Subscriber, Subscription

        data = dict(demo.NEWSLETTER)
        newsletter, created = Newsletter.objects.get_or_create(
            slug=data.pop("slug"),
            defaults={
                **data,
                "series": series,
                "source": "series",
                "cadence": "each",
                "send_automatically": True,
            },  # fmt: skip
        )
        if not created:
            return
        self.added = True
        now = timezone.now()
        for email in demo.SUBSCRIBERS:
            subscriber = Subscriber.objects.create(email=email, confirmed_at=now)
            Subscription.objects.create(
                subscriber=subscriber, newsletter=newsletter, state=Subscription.State.ACTIVE,
                source="demo newsroom (load_demo)", confirmed_at=now,
            )  # fmt: skip
        story = Article.objects.get(slug=demo.SENT_INSTALLMENT)
        [issue] = issues.issues_for(story)  # as publishing it made it, and queued its send
        sent_at = story.publish_at + timedelta(minutes=2)
        for delivery in issue.deliveries.all():
            delivery.state, delivery.sent_at = Delivery.State.SENT, sent_at
            delivery.attempts, delivery.message_id = 1, sending.message_id(delivery, issue)
            delivery.save(update_fields=["state", "sent_at", "attempts", "message_id"])
        Issue.objects.filter(pk=issue.pk).update(state=Issue.State.SENT, sent_at=sent_at)
        # The scheduled installment goes out by itself at its time (the worker's task).
        for scheduled in Article.objects.scheduled().filter(series=series):
            issues.story_published(scheduled)
        self.log(f"Newsletter: {newsletter.name}, {len(demo.SUBSCRIBERS)} readers, 1 issue sent")

    def load_staff(self, authors, logins_file) -> dict[str, tuple[str, str]]:
        """One account per role, plus an administrator; passwords kept in a git-ignored file."""
        from pathlib import Path

        sync_role_groups()
        path = Path(logins_file)
        saved = json.loads(path.read_text()) if path.exists() else {}
        User = get_user_model()
        logins = {}
        accounts = [*demo.STAFF, ("admin", "Administrator", None)]
        for username, role, author_slug in accounts:
            password = saved.get(username) or secrets.token_urlsafe(12)
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = True
            user.is_superuser = role == "Administrator"
            # An address, so desk notifications and newsletter test copies have somewhere to
            # go (printed in var/worker.log or the console without EMAIL_HOST).
            user.email = user.email or f"{username}@example.org"
            # The desk names people, not accounts: the author's name, or the role's.
            name = authors[author_slug].name if author_slug else f"Site {role}"
            user.first_name, _, user.last_name = name.partition(" ")
            user.set_password(password)
            user.save()
            if role != "Administrator":
                user.groups.set([Group.objects.get(name=role)])
            if author_slug:
                Author.objects.filter(slug=author_slug, user__isnull=True).update(user=user)
                authors[author_slug].refresh_from_db()
            logins[username] = (role, password)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({name: pw for name, (_, pw) in logins.items()}, indent=2))
        path.chmod(0o600)
        return logins
