"""`make bench`'s pieces that need no server: the archive shaped like the Wagtail peer's, the
check that lets a run reuse it, the crawl list, the pages measured and the table of ratios."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Byline, RelatedArticle, TaggedArticle
from devtools import peer_bench
from tests import factories

pytestmark = pytest.mark.django_db

STORIES = 12


def peer_archive():
    call_command("generate_corpus", articles=STORIES, images=1, batch=5, verbosity=0,
                 **{**peer_bench.PEER_ARCHIVE, "authors": 4, "tags": 5})  # fmt: skip


def test_the_archive_is_shaped_like_the_peers_articles_and_passes_its_check():
    peer_archive()
    assert Article.objects.live().count() == STORIES
    for story in Article.objects.all():
        assert Byline.objects.filter(article=story).count() == 2
        assert TaggedArticle.objects.filter(content_object=story).count() == 3
        assert story.lead_image_id is not None
        assert 650 <= len(story.body_html.split()) <= 830
    # every story relates to 3 earlier ones, but the first three (there are fewer before them)
    assert RelatedArticle.objects.count() == 3 * STORIES - 6
    assert peer_bench.archive_problems(STORIES) == []


def test_an_archive_that_is_not_the_benchmarks_is_refused():
    """The check is what lets a run reuse the archive, so it must catch what differs."""
    peer_archive()
    assert peer_bench.archive_problems(STORIES + 1) == [f"{STORIES} stories, not {STORIES + 1}"]
    story = Article.objects.first()
    Byline.objects.filter(article=story).first().delete()
    assert peer_bench.archive_problems(STORIES) == [f"{2 * STORIES - 1} bylines, not {2 * STORIES}"]


def test_a_missing_picture_file_is_caught():
    from django.core.files.storage import default_storage

    peer_archive()
    default_storage.delete(Article.objects.first().lead_image.file.name)
    assert "picture files missing" in " ".join(peer_bench.archive_problems(STORIES))


def test_the_crawl_list_holds_every_live_story_once_and_nothing_else(client):
    peer_archive()
    hidden = [
        factories.make_article(
            **{k: timezone.now() + v if isinstance(v, timedelta) else v for k, v in fields.items()}
        )  # fmt: skip
        for fields in factories.HIDDEN_STATES.values()
    ]
    paths = peer_bench.crawl_paths()
    live = Article.objects.live()
    assert len(paths) == len(set(paths)) == live.count() == STORIES
    assert set(paths) == {story.get_absolute_url() for story in live}
    assert not {story.get_absolute_url() for story in hidden} & set(paths)
    for path in paths[:3]:
        assert client.get(path).status_code == 200


def test_the_pages_measured_are_the_middle_installment_and_its_listings(client):
    peer_archive()
    pages = peer_bench.bench_pages()
    assert list(pages) == ["article", "home", "section", "series", "author", "tag"]
    for path in pages.values():
        assert client.get(path).status_code == 200, path
    story = next(s for s in Article.objects.live() if s.get_absolute_url() == pages["article"])
    installments = list(
        Article.objects.live().filter(series=story.series).order_by("publish_at", "pk")
    )
    assert installments.index(story) == len(installments) // 2
    assert pages["series"] == story.series.get_absolute_url()


HEADER = (
    "round\tlabel\turl\tstatus\tsize\trequests\tduration_us\tbytes\tp50_us\tp90_us\tp99_us\t"
    "max_us\tmean_us\tnon2xx3xx\tconnect\tread\twrite\ttimeout\n"
)
# req/s per round (10 s runs): ours is 7x then 5x Wagtail's article, so the paired median is 6x
SAMPLE = {
    "wagtail_article": (70, 80),
    "wagtail_home": (80, 80),
    "wagtail_section": (80, 100),
    "wagtail_crawl": (60, 60),
    "limit_django": (4000, 4000),
    "ours_article_uncached": (490, 400),
    "ours_home_uncached": (300, 300),
    "ours_crawl": (240, 150),
    "ours_article_cached": (3500, 3000),
}


def sample_raw(tmp_path, errors=0):
    lines = [HEADER]
    for round in (1, 2):
        for label, rates in SAMPLE.items():
            requests = rates[round - 1] * 10
            lines.append(
                f"{round}\t{label}\thttp://127.0.0.1:8103/\t200\t15000\t{requests}\t10000000\t"
                f"{requests * 16000}\t4000\t6000\t9000\t12000\t4500.0\t{errors}\t0\t0\t0\t0\n"
            )
    path = tmp_path / "raw.tsv"
    path.write_text("".join(lines))
    return path


def row(lines, page):
    return next(line for line in lines if line.split()[0] == page).split()


def test_the_table_gives_paired_ratios_against_wagtail_and_the_ceiling(tmp_path):
    lines = peer_bench.page_table(peer_bench.read_raw(sample_raw(tmp_path)))
    article = row(lines, "article")
    # req/s is the median over rounds; x ratios are the median of per-round ratios
    assert article[1:6] == ["445.0", "0.111x", "wagtail_article", "6.00x", "6x"]
    assert article[6] == "met"
    assert article[8:12] == ["3250.0", "0.81x", "0.80x", "met"]
    home = row(lines, "home")
    assert home[3:7] == ["wagtail_home", "3.75x", "5x", "MISSED"]
    crawl = row(lines, "crawl")
    assert crawl[3:7] == ["wagtail_crawl", "3.25x", "3x", "met"]
    # pages that were not measured say so instead of inventing a figure
    assert row(lines, "tag")[4] == "-"
    assert lines[-1].startswith("(req/s of the references: wagtail_article 75.0")


def test_errors_are_counted_in_the_table(tmp_path):
    lines = peer_bench.page_table(peer_bench.read_raw(sample_raw(tmp_path, errors=3)))
    assert row(lines, "article")[-1] == "12"  # 3 a run, uncached and cached, two rounds


def test_one_reader_timings_and_their_share_of_the_ceiling(tmp_path):
    timings = [float(n) for n in range(1, 101)]
    assert peer_bench.percentiles(timings) == {"p50": 50.0, "p95": 95.0, "p99": 99.0}
    ceiling = peer_bench.ceiling_ms(peer_bench.read_raw(sample_raw(tmp_path)))
    assert ceiling == pytest.approx(0.25)  # 4,000 req/s
    line = peer_bench.timing_line("search", peer_bench.percentiles(timings), ceiling)
    assert line.split()[1:3] == ["p50", "50.0"] and line.split()[-2:] == ["ceiling", "0.0050x"]
