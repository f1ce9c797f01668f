"""Build the demo newsroom: sections, a series, authors, images, stories and staff accounts."""

import io
import json
import secrets
from datetime import timedelta

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from articles.models import Article, Author, Byline, Correction, RelatedArticle, Status, Transition
from articles.roles import sync_role_groups
from media.models import Image
from media.services import image_for_upload
from media.uploads import inspect_upload
from newsroom import demo_content as demo
from newsroom import richtext
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
        with transaction.atomic():
            self.load_site()
            sections = self.load_sections()
            series = self.load_series()
            images = self.load_images()
            authors = self.load_authors(images)
            logins = self.load_staff(authors, logins_file) if settings.DEMO_ACCOUNTS else {}
            created = self.load_articles(sections, series, images, authors)
        live = Article.objects.live().count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom ready: {Article.objects.count()} stories ({created} new, "
                f"{live} live), {len(authors)} authors, {len(images)} images."
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

    def load_sections(self) -> dict[str, Section]:
        sections = {}
        for slug, name, parent, order, description in demo.SECTIONS:
            sections[slug], _ = Section.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "parent": sections.get(parent),
                    "order": order,
                    "description": description,
                },
            )
        return sections

    def load_series(self) -> Series:
        data = dict(demo.SERIES)
        series, _ = Series.objects.get_or_create(slug=data.pop("slug"), defaults=data)
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
                )
                self.log(f"Image: {title}")
            images[key] = image
        return images

    def load_authors(self, images) -> dict[str, Author]:
        authors = {}
        for slug, name, job_title, bio in demo.AUTHORS:
            authors[slug], _ = Author.objects.get_or_create(
                slug=slug, defaults={"name": name, "job_title": job_title, "bio": bio}
            )
        return authors

    def load_articles(self, sections, series, images, authors) -> int:
        now = timezone.now()
        created = 0
        for data in demo.ARTICLES:
            if Article.objects.filter(slug=data["slug"]).exists():
                continue
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
            status = Status.PUBLISHED if published else data.get("status", Status.DRAFT)
            writer = authors[data["authors"][0][0]]
            with reversion.create_revision():
                article = Article.objects.create(
                    slug=data["slug"],
                    headline=data["headline"],
                    kicker=data["kicker"],
                    article_type=data["type"],
                    section=sections[data["section"]],
                    series=series if data["series"] else None,
                    lead_image=images.get(data["image"]),
                    dek=data["dek"],
                    body=body,
                    status=status,
                    publish_at=publish_at,
                    created_by=writer.user,
                    last_edited_by=writer.user,
                    first_published_at=publish_at,
                )
                for order, (slug, role) in enumerate(data["authors"]):
                    Byline.objects.create(
                        article=article, author=authors[slug], role=role, order=order
                    )
                article.tags.set(data["tags"])
                if data["slug"] in demo.CORRECTIONS:
                    kind, text = demo.CORRECTIONS[data["slug"]]
                    Correction.objects.create(
                        article=article, kind=kind, text=text, published_at=now
                    )
                    article.updated_at = now
                    article.save(update_fields=["updated_at"])
                reversion.set_comment("Loaded with the demo newsroom")
            if status != Status.DRAFT:
                Transition.objects.create(
                    article=article,
                    from_status=Status.DRAFT,
                    to_status=status,
                    comment="Demo content",
                )
            created += 1
            self.log(f"Story: {article.headline} ({article.display_status})")
        for data in demo.ARTICLES:
            article = Article.objects.get(slug=data["slug"])
            for order, slug in enumerate(data["related"]):
                RelatedArticle.objects.get_or_create(
                    article=article,
                    related=Article.objects.get(slug=slug),
                    defaults={"order": order},
                )
        return created

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
