"""A story lists what it rests on: sources and references typed in the desk form, saved with
the story as one revision (compare, restore, pending changes), shown at its end as “Sources”
and given to search engines as its `citation`; only web addresses are links."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from lxml import html as lxml_html
from pyld import jsonld
from reversion.models import Version

from articles import services
from articles.changes import Relations
from articles.models import Source, Status
from tests.admin_forms import change_form_data, change_url, logged_in
from tests.factories import make_article

pytestmark = pytest.mark.django_db

S = "https://schema.org/"
# schema.org's context, as much of it as these tests read, served without the network.
SCHEMA_ORG_CONTEXT = {
    "@context": {"@vocab": S, **{name: {"@id": S + name, "@type": "@id"}
                                 for name in ("url", "mainEntityOfPage", "item")}}
}  # fmt: skip


def _load_locally(url, options=None):
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_ORG_CONTEXT}


def news_article_node(client, url) -> dict:
    """The page's article, read back by a JSON-LD processor (pyld), with the nodes it points
    at embedded."""
    response = client.get(url)
    assert response.status_code == 200, url
    doc = lxml_html.fromstring(response.content)
    blocks = [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]
    expanded = jsonld.expand(blocks, {"documentLoader": _load_locally})
    # The story's node, whichever schema.org type of article it is (NewsArticle, a subtype,
    # AdvertiserContentArticle for sponsored content): the one with a headline.
    [story] = [node for node in expanded if S + "headline" in node]
    assert any(kind.startswith(S) and kind.endswith("Article") for kind in story["@type"])
    return story


def value(node: dict, prop: str):
    """The one value of `prop`: an IRI or a literal."""
    (item,) = node[S + prop]
    return item.get("@id", item.get("@value"))


def add_source_rows(data: dict, rows: list[dict]) -> dict:
    start = int(data["sources-TOTAL_FORMS"])
    for n, row in enumerate(rows, start=start):
        data |= {f"sources-{n}-{name}": value for name, value in row.items()}
    data["sources-TOTAL_FORMS"] = str(start + len(rows))
    return data


REPORT = {"title": "Grain exports after the deal", "publisher": "The Washington Post",
          "url": "https://www.washingtonpost.com/grain-report", "published_on": "2026-11-30",
          "order": "1"}  # fmt: skip
DATA = {"title": "Port statistics 2026", "publisher": "Eurostat",
        "url": "https://ec.europa.eu/eurostat/ports", "published_on": "", "order": "2"}  # fmt: skip


def save_with_sources(client, story, rows, **fields):
    data = add_source_rows(change_form_data(client.get(change_url(story))), rows)
    data |= fields
    return client.post(change_url(story), data)


def test_sources_typed_in_the_desk_form_are_saved_in_order(editor):
    story = make_article(headline="Grain deal holds")
    client = logged_in(editor)
    response = save_with_sources(client, story, [DATA | {"order": "2"}, REPORT | {"order": "1"}])
    assert response.status_code == 302
    assert [(s.title, s.publisher, s.url, s.published_on, s.order)
            for s in story.sources.all()] == [
        ("Grain exports after the deal", "The Washington Post",
         "https://www.washingtonpost.com/grain-report", date(2026, 11, 30), 0),
        ("Port statistics 2026", "Eurostat", "https://ec.europa.eu/eurostat/ports", None, 1),
    ]  # fmt: skip
    kept = list(story.sources.values_list("pk", flat=True))
    save_with_sources(client, story, [], dek="A new dek")  # the rows stay as they are
    assert list(story.sources.values_list("pk", flat=True)) == kept


def test_readers_see_the_sources_at_the_end_of_the_story(client, editor):
    story = make_article(status=Status.PUBLISHED, headline="Grain deal holds")
    save_with_sources(logged_in(editor), story, [REPORT, DATA])
    doc = lxml_html.fromstring(client.get(story.get_absolute_url()).content)
    [section] = doc.xpath('//section[@class="sources"]')
    assert section.xpath("string(h2)") == "Sources"
    items = section.xpath(".//li")
    assert [" ".join(li.text_content().split()) for li in items] == [
        "Grain exports after the deal, The Washington Post, November 30, 2026",
        "Port statistics 2026, Eurostat",
    ]
    assert items[0].xpath("a/@href") == ["https://www.washingtonpost.com/grain-report"]
    # After the body and corrections, before the tags and share links.
    assert doc.xpath('//div[@class="body"]/following-sibling::section[@class="sources"]')


def test_a_story_without_sources_shows_no_sources_heading(client):
    story = make_article(status=Status.PUBLISHED)
    assert b'class="sources"' not in client.get(story.get_absolute_url()).content


def test_sources_are_the_storys_citation_in_json_ld(client, editor):
    story = make_article(status=Status.PUBLISHED, headline="Grain deal holds")
    save_with_sources(logged_in(editor), story, [REPORT, DATA])
    node = news_article_node(client, story.get_absolute_url())
    first, second = node[S + "citation"]
    assert first["@type"] == [S + "CreativeWork"]
    assert value(first, "name") == "Grain exports after the deal"
    assert value(first, "url") == "https://www.washingtonpost.com/grain-report"
    assert value(first, "datePublished") == "2026-11-30"
    [publisher] = first[S + "publisher"]
    assert publisher["@type"] == [S + "Organization"]
    assert value(publisher, "name") == "The Washington Post"
    assert value(second, "name") == "Port statistics 2026" and S + "datePublished" not in second
    plain = make_article(status=Status.PUBLISHED)
    assert S + "citation" not in news_article_node(client, plain.get_absolute_url())


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
     "ftp://files.example/report", "vbscript:msgbox", "not an address", "https://"],
)  # fmt: skip
def test_a_source_that_is_not_a_web_address_is_refused_with_a_clear_message(editor, url):
    story = make_article()
    response = save_with_sources(logged_in(editor), story, [REPORT | {"url": url}])
    assert response.status_code == 200
    [formset] = [f for f in response.context["inline_admin_formsets"]
                 if f.formset.prefix == "sources"]  # fmt: skip
    errors = formset.formset.errors[-1]["url"]
    assert errors == ["Enter a web address that starts with http:// or https://."]
    assert not Source.objects.exists()


def test_the_service_refuses_a_hostile_source_from_any_writer(editor):
    story = make_article()
    hostile = {"title": "x", "publisher": "", "url": "javascript:alert(1)", "published_on": None,
               "order": 0}  # fmt: skip
    with pytest.raises(ValidationError, match="http:// or https://"):
        services.save_article(article=story, user=editor, relations=Relations(sources=[hostile]))
    assert not Source.objects.exists()


def test_hostile_text_in_a_source_is_shown_as_text(client, editor):
    story = make_article(status=Status.PUBLISHED)
    row = REPORT | {"title": '<script>alert("x")</script>', "publisher": "<b>Bold</b>"}
    save_with_sources(logged_in(editor), story, [row])
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_sources_are_in_every_revision_compared_and_restored(editor):
    story = make_article(headline="Grain deal holds")
    client = logged_in(editor)
    save_with_sources(client, story, [REPORT])
    data = change_form_data(client.get(change_url(story)))
    data["sources-0-DELETE"] = "on"
    client.post(change_url(story), add_source_rows(data, [DATA]))
    assert list(story.sources.values_list("title", flat=True)) == ["Port statistics 2026"]

    first, second = Version.objects.get_for_object(story).order_by("pk")
    html = client.get(
        reverse("admin:articles_article_compare", args=[story.pk]),
        {"version_id1": first.pk, "version_id2": second.pk},
    ).content.decode()
    shown = html.split("<h2>Sources</h2>")[1].split("</section>")[0]
    assert "<ins>Port statistics 2026 — Eurostat (https://ec.europa.eu/eurostat/ports)</ins>" in (
        shown
    )
    assert "<del>Grain exports after the deal — The Washington Post, 30 Nov 2026" in shown

    restore_url = reverse("admin:articles_article_revision", args=[story.pk, first.pk])
    assert "Sources" in client.get(restore_url).content.decode()  # what restoring changes
    assert client.post(restore_url).status_code == 302
    assert [(s.title, s.url, s.published_on) for s in story.sources.all()] == [
        ("Grain exports after the deal", "https://www.washingtonpost.com/grain-report",
         date(2026, 11, 30)),
    ]  # fmt: skip


def test_pending_changes_bring_their_sources_to_the_live_story(editor, publisher):
    live = make_article(status=Status.PUBLISHED, headline="Grain deal holds")
    changes = services.propose_changes(article=live, user=editor)
    save_with_sources(logged_in(editor), changes, [REPORT])
    assert not live.sources.exists(), "readers see the live story as it was"
    services.publish_pending_changes(changes=changes, user=publisher)
    assert list(live.sources.values_list("title", flat=True)) == ["Grain exports after the deal"]


def test_the_preview_shows_sources_as_typed(editor):
    story = make_article(headline="Grain deal holds")
    client = logged_in(editor)
    data = add_source_rows(change_form_data(client.get(change_url(story))), [REPORT])
    preview = client.post(reverse("admin:articles_article_preview", args=[story.pk]), data)
    assert "Grain exports after the deal" in preview.content.decode()
    assert not story.sources.exists()
