"""Renditions keep the focal point, pages draw them responsively, and no page makes one."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html
from PIL import Image as PILImage
from PIL import ImageDraw

from articles import services
from articles.models import Status
from media.models import Rendition
from media.renditions import build_renditions, focal_crop
from sections.models import Series
from tests.factories import make_article, make_author
from tests.images import make_image

pytestmark = pytest.mark.django_db


def photo_with_dot(size=(3000, 2000), dot=(0.9, 0.2)) -> bytes:
    """A grey photo with a red dot where the focal point is."""
    image = PILImage.new("RGB", size, (128, 128, 128))
    x, y = round(dot[0] * size[0]), round(dot[1] * size[1])
    ImageDraw.Draw(image).ellipse([x - 60, y - 60, x + 60, y + 60], fill=(255, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "size, ratio, focal",
    [((6000, 4000), 1.0, (0.9, 0.5)), ((6000, 4000), 16 / 9, (0.1, 0.95)),
     ((2000, 4000), 16 / 9, (0.5, 0.05)), ((4000, 4000), 4 / 5, (0.0, 0.0)),
     ((1200, 800), 1200 / 630, (1.0, 1.0))],
)  # fmt: skip
def test_crop_has_the_ratio_and_contains_the_focal_point(size, ratio, focal):
    left, top, right, bottom = focal_crop(size, ratio, focal)
    assert 0 <= left < right <= size[0] and 0 <= top < bottom <= size[1]
    assert abs((right - left) / (bottom - top) - ratio) < 0.01
    fx, fy = focal[0] * size[0], focal[1] * size[1]
    assert left <= fx <= right and top <= fy <= bottom


def red_at(rendition, x: float, y: float) -> bool:
    rendition.file.open("rb")
    with PILImage.open(rendition.file) as picture:
        r, g, b = picture.convert("RGB").getpixel((round(x * (picture.width - 1)),
                                                   round(y * (picture.height - 1))))  # fmt: skip
    rendition.file.close()
    return r > 200 and g < 80 and b < 80


def test_every_crop_keeps_the_focal_point_in_frame():
    image = make_image(photo_with_dot(dot=(0.9, 0.2)))
    image.focal_x, image.focal_y = 0.9, 0.2
    image.save()
    build_renditions(image)
    for rendition in image.renditions.filter(format="jpeg"):
        left, top, right, bottom = focal_crop((3000, 2000), _ratio(rendition), (0.9, 0.2))
        x = (0.9 * 3000 - left) / (right - left)
        y = (0.2 * 2000 - top) / (bottom - top)
        assert red_at(rendition, x, y), rendition


def _ratio(rendition):
    from media.renditions import SPECS

    return SPECS[rendition.kind].ratio


def test_renditions_come_in_several_widths_and_formats_without_upscaling():
    image = make_image(photo_with_dot(size=(1000, 700)))
    build_renditions(image)
    lead = image.renditions.filter(kind="lead")
    assert set(lead.values_list("format", flat=True)) == {"avif", "webp", "jpeg"}
    assert sorted(set(lead.values_list("width", flat=True))) == [480, 960]  # no 1600 from 1000
    social = image.renditions.get(kind="social")
    assert (social.width, social.height, social.format) == (1200, 630, "jpeg") or (
        social.width <= 1000
    )
    for rendition in image.renditions.all():
        rendition.file.open("rb")
        with PILImage.open(rendition.file) as decoded:
            assert decoded.size == (rendition.width, rendition.height)
            assert (
                decoded.format == {"jpeg": "JPEG", "webp": "WEBP", "avif": "AVIF"}[rendition.format]
            )
        rendition.file.close()


def test_the_social_card_is_1200_by_630():
    image = make_image(photo_with_dot(size=(3000, 2000)))
    build_renditions(image)
    card = image.renditions.get(kind="social")
    assert (card.width, card.height) == (1200, 630)


def test_building_twice_makes_nothing_new_and_force_rebuilds():
    image = make_image(photo_with_dot(size=(800, 600)))
    first = build_renditions(image)
    assert first > 0 and build_renditions(image) == 0
    assert build_renditions(image, force=True) == first


def test_changing_the_focal_point_in_the_admin_rebuilds_the_crops(client, editor, settings):
    settings.IMAGE_RENDITIONS_ON_UPLOAD = True
    image = make_image(photo_with_dot(size=(900, 600)))
    before = set(image.renditions.values_list("file", flat=True))
    assert before
    client.force_login(editor)
    url = reverse("admin:media_image_change", args=[image.pk])
    data = {f: getattr(image, f) or "" for f in ("title", "alt_text", "caption", "credit",
            "copyright_notice", "source", "licence")}  # fmt: skip
    data |= {"focal_x": "0.9", "focal_y": "0.2", "usable_until": ""}
    assert client.post(url, data).status_code == 302
    after = set(image.renditions.values_list("file", flat=True))
    assert after and not after & before


def picture_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content)


def test_pages_draw_responsive_pictures_with_sizes_and_no_layout_shift(client):
    image = make_image(photo_with_dot(size=(2000, 1400)))
    build_renditions(image)
    story = make_article(status=Status.PUBLISHED, lead_image=image)
    doc = picture_page(client, story.get_absolute_url())
    lead = doc.xpath('//article[@class="story"]//picture')[0]
    types = lead.xpath(".//source/@type")  # lxml nests the void <source> elements
    assert types == ["image/avif", "image/webp"]
    for source in lead.xpath(".//source"):
        assert source.get("sizes") and len(source.get("srcset").split(",")) == 3
    img = lead.xpath(".//img")[0]
    assert img.get("width") and img.get("height") and img.get("sizes")
    assert int(img.get("width")) * 9 == int(img.get("height")) * 16
    assert img.get("loading") is None and img.get("fetchpriority") == "high"
    assert img.get("decoding") == "async"
    assert doc.xpath('//link[@rel="preload"][@as="image"][@type="image/avif"]/@imagesrcset')
    og = doc.xpath('//meta[@property="og:image"]/@content')[0]
    assert "/social-1200x630-" in og
    assert doc.xpath('//meta[@property="og:image:width"]/@content') == ["1200"]

    home = picture_page(client, "/")
    teaser_img = home.xpath('//article[contains(@class, "teaser")]//picture//img')
    assert teaser_img[0].get("fetchpriority") == "high"  # the lead story, above the fold
    assert len(teaser_img) == 1 or all(i.get("loading") == "lazy" for i in teaser_img[1:])


def all_rendition_files(settings):
    return sorted(p for p in Path(settings.MEDIA_ROOT, "renditions").rglob("*") if p.is_file())


def test_no_page_request_creates_a_rendition(client, settings, tmp_path):
    call_command("load_demo", logins_file=str(tmp_path / "l.json"), verbosity=0)
    built = make_image(photo_with_dot(size=(1200, 800)))
    build_renditions(built)
    unbuilt = make_image(photo_with_dot(size=(1100, 800)))  # renditions never built
    make_article(status=Status.PUBLISHED, lead_image=built)
    make_article(status=Status.PUBLISHED, lead_image=unbuilt, headline="Unbuilt")
    rows, files = Rendition.objects.count(), all_rendition_files(settings)
    from articles.models import Article

    urls = ["/", "/feeds/rss/?full=1", "/search/?q=talks"]
    urls += [a.get_absolute_url() for a in Article.objects.live()]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert Rendition.objects.count() == rows and all_rendition_files(settings) == files
    unbuilt_page = picture_page(client, "/")
    assert unbuilt.file.url in unbuilt_page.xpath("//img/@src")  # the clean master meanwhile


def test_credits_show_wherever_the_picture_shows(client):
    lead = make_image(credit="Alex Edelman/Pool via REUTERS")
    body_image = make_image(credit="Body Credit/AP")
    portrait = make_image(credit="Staff Photographer")
    series_image = make_image(credit="Series Credit/AFP")
    series = Series.objects.create(name="Diplomacy Watch", slug="dw", image=series_image)
    author = make_author(photo=portrait)
    story = make_article(
        status=Status.PUBLISHED, lead_image=lead, series=series, author=author,
        body=f'<p>Text.</p><figure class="image"><img src="{body_image.file.url}" alt="x">'
        "<figcaption>In the body.</figcaption></figure>",
    )  # fmt: skip
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Alex Edelman/Pool via REUTERS" in page
    body = lxml_html.fromstring(page).xpath('//div[@class="body"]//figure')[0]
    assert "In the body." in body.text_content() and "Body Credit/AP" in body.text_content()
    assert "Alex Edelman/Pool via REUTERS" in client.get("/").content.decode()  # teaser
    assert "Staff Photographer" in client.get(author.get_absolute_url()).content.decode()
    assert "Series Credit/AFP" in client.get(series.get_absolute_url()).content.decode()
    rss = client.get("/feeds/rss/").content.decode()
    assert "Alex Edelman/Pool via REUTERS" in rss


def test_credit_and_copyright_are_in_the_stories_json_ld(client):
    import json

    image = make_image(credit="Alex Edelman/Pool via REUTERS", copyright_notice="© Reuters 2020")
    story = make_article(status=Status.PUBLISHED, lead_image=image)
    doc = picture_page(client, story.get_absolute_url())
    data = [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]
    article = next(d for d in data if d["@type"] == "ReportageNewsArticle")
    assert article["image"]["creditText"] == "Alex Edelman/Pool via REUTERS"
    assert article["image"]["copyrightNotice"] == "© Reuters 2020"


def test_publishing_names_each_image_that_lacks_alt_text_or_credit(publisher):
    lead = make_image(alt_text="", credit="Credit")
    body_image = make_image(alt_text="Fine", credit="")
    story = make_article(status=Status.APPROVED, lead_image=lead,
                         body=f'<figure class="image"><img src="{body_image.file.url}"></figure>'
                         "<p>Text</p>")  # fmt: skip
    with pytest.raises(services.WorkflowError) as refused:
        services.publish(article=story, user=publisher)
    messages = refused.value.messages
    assert f"Lead image “{lead}” (#{lead.pk}) needs alt text." in messages
    assert f"Body image “{body_image}” (#{body_image.pk}) needs a credit." in messages
    story.refresh_from_db()
    assert story.status == Status.APPROVED


def test_an_image_past_its_rights_date_is_replaced_by_a_placeholder(client, editor):
    image = make_image(credit="Expired/AP")
    image.usable_until = timezone.localdate() - timedelta(days=1)
    image.save()
    story = make_article(status=Status.PUBLISHED, lead_image=image)
    doc = picture_page(client, story.get_absolute_url())
    assert image.file.url not in lxml_html.tostring(doc).decode()
    assert doc.xpath('//div[@class="picture-placeholder"][@role="img"]')
    og = doc.xpath('//meta[@property="og:image"]/@content')[0]
    assert og.endswith("social-card.png")
    client.force_login(editor)
    listing = client.get(reverse("admin:media_image_changelist"), {"rights": "expired"})
    assert "past their “usable until” date" in listing.content.decode()
    assert image.title in listing.content.decode() or str(image) in listing.content.decode()


def test_build_renditions_command(capsys):
    image = make_image(photo_with_dot(size=(700, 500)))
    call_command("build_renditions", "--dry-run")
    assert "Would build renditions for 1 image(s)." in capsys.readouterr().out
    call_command("build_renditions", "--image", str(image.pk))
    out = capsys.readouterr()
    assert "Built" in out.out and "1 image(s)" in out.out and "1/1" in out.err
    assert image.renditions.exists()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No image with id 999999"):
        call_command("build_renditions", "--image", "999999")


def test_alt_text_typed_in_the_story_editor_reaches_the_library_image(contributor, section):
    from articles.models import Article

    image = make_image(alt_text="", credit="Staff")
    services.save_article(
        article=Article(
            headline="With a body image",
            section=section,
            body=f'<figure class="image"><img src="{image.file.url}" alt="Sandbags at a '
            'checkpoint"></figure><p>Text</p>',
        ),
        user=contributor,
    )
    image.refresh_from_db()
    assert image.alt_text == "Sandbags at a checkpoint"
    assert image.problems_for_publishing() == []
