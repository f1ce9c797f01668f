"""`manage.py bench_wordpress_import --posts 20000`: peak memory of a large import.

Generates a WXR export (posts with captions, tags, categories, co-authors, and one picture
attachment in twenty with its file in a stand-in uploads folder), then runs
`import_wordpress` on it in a child process against a fresh SQLite database, at a tenth of the size
and at full size. If the import streams, peak memory stays about the same while the file
grows tenfold. Prints one line per run; the figures are in docs/performance.md.
"""

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from devtools.synthetic import synthetic_photo
from wordpress.sample import Post, write_wxr

# The import in a fresh interpreter that prints its own peak resident memory (KiB) last.
_MEASURED_IMPORT = """
import resource, sys, django
django.setup()
from django.core.management import call_command
call_command("import_wordpress", sys.argv[1], media_dir=sys.argv[2], no_fetch=True, verbosity=0)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

WORDS = (
    "ceasefire talks envoy sanctions summit border treaty minister parliament coalition "
    "pipeline embassy referendum delegation negotiation security drone grain corridor"
).split()


def generate(path: Path, uploads: Path, posts: int, *, seed: int = 7) -> None:
    rng = random.Random(seed)
    sections = [(f"desk-{n}", f"Desk {n}", "" if n < 5 else f"desk-{n % 5}") for n in range(20)]
    tags = [(f"topic-{n}", f"Topic {n}") for n in range(300)]
    authors = [(f"writer{n}", f"Writer {n}", f"writer{n}@example.org") for n in range(30)]

    def sentence() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + "."

    def items():
        for n in range(posts):
            post_id = 1000 + n * 2
            content = "\n\n".join(" ".join(sentence() for _ in range(4)) for _ in range(8))
            meta = {}
            if n % 20 == 0:
                picture_id = post_id + 1
                relative = f"2020/{n % 12 + 1:02d}/photo-{n}.jpg"
                (uploads / relative).parent.mkdir(parents=True, exist_ok=True)
                (uploads / relative).write_bytes(synthetic_photo(96, 64, seed=n))
                yield Post(
                    post_id=picture_id, title=f"Photo {n}", slug=f"photo-{n}",
                    post_type="attachment", status="inherit", parent_id=post_id,
                    excerpt=f"Delegates arrive. Photographer {n}/Pool via REUTERS",
                    attachment_url=f"https://old.example.org/wp-content/uploads/{relative}",
                )  # fmt: skip
                meta["_thumbnail_id"] = str(picture_id)
                content = (
                    f'[caption id="attachment_{picture_id}" width="600"]<img src="https://old.'
                    f'example.org/wp-content/uploads/{relative}" /> Delegates arrive.[/caption]'
                    f"\n\n{content}"
                )
            content = content.replace("\n\n", "\n\n<!--more-->\n\n", 1)
            day = f"20{10 + n % 14:02d}-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
            yield Post(
                post_id=post_id,
                title=f"{sentence()[:-1]} ({n})",
                slug=f"story-{n}",
                content=content,
                excerpt=sentence() if n % 3 == 0 else "",
                date=f"{day} 10:00:00",
                date_gmt=f"{day} 08:00:00",
                creator=authors[n % 30][0],
                categories=[sections[n % 20][:2]],
                tags=rng.sample(tags, 3),
                coauthors=[(f"cap-{authors[(n + 1) % 30][0]}", "")] if n % 7 == 0 else [],
                meta=meta,
                status="publish" if n % 10 else "draft",
            )

    with path.open("w", encoding="utf-8") as stream:
        write_wxr(stream, authors=authors, categories=sections, tags=tags, items=items())


class Command(BaseCommand):
    help = "Peak memory and speed of import_wordpress on a generated export (streaming check)."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=20000)

    def handle(self, *args, posts, **options):
        for size in (max(posts // 10, 1), posts):
            self.stdout.write(self.run(size))

    def run(self, posts: int) -> str:
        with tempfile.TemporaryDirectory(prefix="wxr-bench-") as tmp:
            tmp = Path(tmp)
            export, uploads = tmp / "export.xml", tmp / "uploads"
            generate(export, uploads, posts)
            env = {
                **os.environ,
                "DATABASE_URL": f"sqlite:///{tmp / 'import.sqlite3'}",  # a fresh one each run
                "VAR_DIR": str(tmp),
                "TEST_MEDIA_ROOT": str(tmp / "media"),
                # DEBUG off (no query log); renditions are built afterwards (build_renditions).
                "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
            }
            manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
            subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
            started = time.monotonic()
            result = subprocess.run(
                [sys.executable, "-c", _MEASURED_IMPORT, str(export), str(uploads)],
                env=env, check=True, capture_output=True, text=True, cwd=settings.BASE_DIR,
            )  # fmt: skip
            elapsed = time.monotonic() - started
            *output, peak = result.stdout.strip().splitlines()
            size_mb = export.stat().st_size / 1e6
        return (
            f"{posts:>6} posts, export {size_mb:6.1f} MB: peak RSS {int(peak) / 1024:6.1f} MB, "
            f"{elapsed:6.1f} s ({posts / elapsed:4.0f} posts/s). {output[-1]}"
        )
