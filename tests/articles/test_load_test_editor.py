"""The load test's editors (manage.py load_test) save through the admin as a browser does:
the change page's HTML, read back into a form, saves the story and keeps everything else."""

from urllib.parse import urlencode

from django.urls import reverse

from articles.models import Correction, Status
from devtools.management.editor_client import FormFields, replace
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


def test_the_load_tests_autosave_reaches_the_working_copy_and_no_revision(client, editor):
    """What `load_test` sends as an editor's autosave: the form read back as a browser would."""
    from reversion.models import Version

    from desk.models import WorkingCopy

    story = make_article(status=Status.PUBLISHED, headline="Typed into")
    client.force_login(editor)
    form = FormFields("article_form")
    form.feed(
        client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    )
    fields = replace(form.fields, "body", "<p>autosave, not a revision</p>")
    response = client.post(
        f"/admin/articles/article/{story.pk}/autosave/",
        urlencode(fields),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert WorkingCopy.objects.get(user=editor, article=story).data["body"] == [
        "<p>autosave, not a revision</p>"
    ]
    assert not Version.objects.get_for_object(story).exists()


def test_the_desk_benchmark_times_real_pages_and_autosaves_and_leaves_the_story_alone(db):
    from io import StringIO

    from django.core.management import call_command

    story = make_article(status=Status.PUBLISHED)
    out = StringIO()
    call_command("bench_desk", requests=3, stdout=out)
    assert "autosave (1 stories): p50" in out.getvalue()
    assert "desk home, publisher (1 stories): p50" in out.getvalue()
    story.refresh_from_db()
    assert story.version == 1
