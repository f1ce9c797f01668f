"""The load test's editors (manage.py load_test) save through the admin as a browser does:
the change page's HTML, read back into a form, saves the story and keeps everything else."""

from urllib.parse import urlencode

from django.urls import reverse

from articles.management.editor_client import FormFields, replace
from articles.models import Correction, Status
from tests.factories import make_article


def test_the_change_page_read_back_as_a_browser_would_saves_only_the_new_body(client, editor):
    story = make_article(status=Status.PUBLISHED, headline="Kept as it was")
    story.tags.set(["Ukraine", "Sudan"])
    Correction.objects.create(article=story, text="Kept too.")
    change = reverse("admin:articles_article_change", args=[story.pk])
    client.force_login(editor)
    form = FormFields("article_form")
    form.feed(client.get(change).content.decode())
    fields = replace(form.fields, "body", "<p>A new body & more.</p>")

    response = client.post(
        change, urlencode(fields), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.body == "<p>A new body &amp; more.</p>" and story.headline == "Kept as it was"
    assert sorted(story.tags.names()) == ["Sudan", "Ukraine"]
    assert list(story.corrections.values_list("text", flat=True)) == ["Kept too."]
    assert story.bylines.count() == 1 and story.version == 2
