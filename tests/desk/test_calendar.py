"""The editorial calendar: every story with a date or a plan, by status, on its day; moving a
story (who may, and what it keeps); planning a story for a writer; a fixed number of queries."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Author, Status
from desk import calendar
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

URL = reverse("admin:desk_calendar")


def local(days: int, hour: int, minute: int = 0) -> datetime:
    """A time `days` from today, at hour:minute in the site's time zone."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def page(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def placed(response) -> dict:
    """{headline: (day, kind)} of every story on the page."""
    return {
        entry.article.headline: (cell.day, entry.kind)
        for cell in response.context["days"]
        for entry in cell.entries
    }


def test_every_story_with_a_date_or_a_plan_sits_on_its_day_by_status(client, editor):
    make_article(status=Status.PUBLISHED, publish_at=local(3, 9, 30), headline="Scheduled one")
    make_article(status=Status.PUBLISHED, publish_at=local(-1, 8), headline="Out yesterday")
    make_article(status=Status.PLANNED, due_at=local(4, 17), headline="Planned one", body="")
    make_article(status=Status.SUBMITTED, due_at=local(5, 12), headline="Submitted, due")
    make_article(status=Status.APPROVED, due_at=local(6, 12), headline="Approved, due")
    make_article(status=Status.RETURNED, due_at=local(2, 12), headline="Returned, due")
    draft = make_article(status=Status.DRAFT, headline="Draft, no due date")
    make_article(status=Status.ARCHIVED, due_at=local(2, 12), headline="Put away")
    make_article(status=Status.UNPUBLISHED, publish_at=local(-1, 8), headline="Taken down")
    response = page(client, editor, start=f"{local(0, 0):%Y-%m-%d}")
    found = placed(response)
    # Only what lands in this month's grid is asked about (the month may end tomorrow).
    first, last = response.context["first"], response.context["last"]
    expected = {
        "Scheduled one": (local(3, 9).date(), "scheduled"),
        "Out yesterday": (local(-1, 8).date(), "published"),
        "Planned one": (local(4, 17).date(), "planned"),
        "Submitted, due": (local(5, 12).date(), "submitted"),
        "Approved, due": (local(6, 12).date(), "approved"),
        "Returned, due": (local(2, 12).date(), "draft"),
        "Draft, no due date": (timezone.localtime(draft.modified_at).date(), "draft"),
    }
    for headline, (day, kind) in expected.items():
        if first <= day <= last:
            assert found[headline] == (day, kind), headline
    assert "Put away" not in found and "Taken down" not in found
    html = response.content.decode()
    assert "09:30" in html and "due 17:00" in html


def test_the_calendar_names_the_sites_time_zone(client, editor, settings):
    assert calendar.zone_label() == "New York time (America/New_York)"
    assert "Times in New York time (America/New_York)." in page(client, editor).content.decode()
    settings.TIME_ZONE = "Europe/Paris"
    assert "Times in Paris time (Europe/Paris)." in page(client, editor).content.decode()


def test_a_story_sits_on_its_day_in_the_sites_time_zone_not_utc(client, editor):
    # 23:30 in New York is already tomorrow in UTC.
    at = local(3, 23, 30)
    make_article(status=Status.PUBLISHED, publish_at=at, headline="Late night")
    response = page(client, editor, view="week", start=f"{at:%Y-%m-%d}")
    assert placed(response)["Late night"] == (at.date(), "scheduled")


def test_a_week_shows_seven_days_monday_first(client, editor):
    response = page(client, editor, view="week", start="2026-12-09")  # a Wednesday
    days = [cell.day for cell in response.context["days"]]
    assert len(days) == 7 and days[0].isoformat() == "2026-12-07" and days[0].weekday() == 0


def test_a_month_fills_whole_weeks(client, editor):
    days = [cell.day for cell in page(client, editor, start="2026-02-10").context["days"]]
    assert days[0].weekday() == 0 and days[-1].weekday() == 6 and len(days) % 7 == 0
    assert days[0] <= days[0].replace(year=2026, month=2, day=1) <= days[-1]


@pytest.mark.parametrize("start", ["not-a-date", "2026-02-30", "9999-12-31", "0001-01-01"])
def test_the_calendar_survives_impossible_and_extreme_dates(client, editor, start):
    page(client, editor, start=start)
    page(client, editor, start=start, view="week")


def test_the_old_address_still_leads_to_the_calendar(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:articles_calendar"), {"start": "2026-12-01"})
    assert response.status_code == 302 and response["Location"] == f"{URL}?start=2026-12-01"


def test_a_contributor_sees_only_their_own_unpublished_stories(client, contributor):
    make_article(status=Status.PUBLISHED, publish_at=local(2, 9), headline="Embargoed scoop")
    make_article(status=Status.PLANNED, due_at=local(2, 9), headline="Someone else's plan")
    make_article(
        status=Status.PUBLISHED, publish_at=local(2, 10), headline="My column",
        created_by=contributor,
    )  # fmt: skip
    html = page(client, contributor, view="week", start=f"{local(2, 0):%Y-%m-%d}").content
    html = html.decode()
    assert "My column" in html and "Embargoed scoop" not in html
    assert "Someone else" not in html


def test_the_calendar_costs_a_fixed_number_of_queries(client, editor):
    def add(n):
        for i in range(n):
            make_article(status=Status.PUBLISHED, publish_at=local(1, 9 + i % 8))
            make_article(status=Status.PLANNED, due_at=local(2, 10), body="")
            make_article(status=Status.DRAFT, due_at=local(3, 11))
            make_article(status=Status.SUBMITTED)

    params = {"view": "week", "start": f"{local(2, 0):%Y-%m-%d}"}
    page(client, editor, **params)  # the first request creates the site-settings row

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = page(client, editor, **params)
        return len(captured), sum(len(cell.entries) for cell in response.context["days"])

    add(1)
    few, shown = count()
    assert shown >= 3
    add(8)
    many, shown_many = count()
    assert shown_many >= shown + 24
    assert many == few


# --- Moving a story ---------------------------------------------------------------------------


def move(client, user, story, day, json=True):
    client.force_login(user)
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    return client.post(
        reverse("admin:desk_calendar_move", args=[story.pk]), {"date": f"{day:%Y-%m-%d}"},
        **headers,
    )  # fmt: skip


def test_a_publisher_moves_a_scheduled_story_keeping_its_time_of_day(client, publisher):
    story = make_article(status=Status.PUBLISHED, publish_at=local(3, 9, 30))
    story.first_published_at = story.publish_at
    story.save()
    version = Article.objects.get(pk=story.pk).version
    response = move(client, publisher, story, local(5, 0).date())
    assert response.status_code == 200, response.content
    story.refresh_from_db()
    assert story.publish_at == local(5, 9, 30)
    assert story.first_published_at == local(5, 9, 30)
    assert story.status == Status.PUBLISHED and story.version == version + 1
    assert "is now scheduled for" in response.json()["message"]


def test_a_move_is_a_revision_with_its_reason(client, publisher):
    from reversion.models import Version

    story = make_article(status=Status.PUBLISHED, publish_at=local(3, 9, 30))
    move(client, publisher, story, local(4, 0).date())
    [revision] = Version.objects.get_for_object(story)
    assert revision.revision.comment.startswith("Rescheduled for")


@pytest.mark.parametrize("role", ["contributor", "editor"])
def test_only_a_publisher_may_move_a_scheduled_story(client, request, role):
    user = request.getfixturevalue(role)
    story = make_article(status=Status.PUBLISHED, publish_at=local(3, 9), created_by=user)
    response = move(client, user, story, local(5, 0).date())
    assert response.status_code == 403
    assert response.json()["message"] == "Not moved: Only a publisher may move a scheduled story."
    story.refresh_from_db()
    assert story.publish_at == local(3, 9)
    with pytest.raises(PermissionDenied):
        services.reschedule(article=story, user=user, publish_at=local(6, 9))


def test_a_refused_move_without_the_script_says_why_on_the_calendar(client, contributor):
    story = make_article(status=Status.PUBLISHED, publish_at=local(3, 9), created_by=contributor)
    response = move(client, contributor, story, local(5, 0).date(), json=False)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Not moved: Only a publisher may move a scheduled story." in html


def test_a_live_story_keeps_its_publish_time(client, publisher):
    story = make_article(status=Status.PUBLISHED, publish_at=local(-2, 9))
    response = move(client, publisher, story, local(3, 0).date())
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.publish_at == local(-2, 9)


def test_a_scheduled_story_cannot_be_moved_into_the_past(client, publisher):
    story = make_article(status=Status.PUBLISHED, publish_at=local(3, 9))
    response = move(client, publisher, story, local(-3, 0).date())
    assert response.status_code == 400 and "future" in response.json()["message"]


def test_another_contributors_story_is_not_even_found(client, contributor):
    story = make_article(status=Status.PLANNED, due_at=local(3, 9), body="")
    assert move(client, contributor, story, local(4, 0).date()).status_code == 404


def test_a_writer_or_an_editor_moves_a_planned_storys_due_date(client, contributor, editor):
    story = make_article(
        status=Status.PLANNED, due_at=local(3, 16), created_by=contributor, body=""
    )
    assert move(client, contributor, story, local(4, 0).date()).status_code == 200
    story.refresh_from_db()
    assert story.due_at == local(4, 16) and story.status == Status.PLANNED
    assert move(client, editor, story, local(6, 0).date()).status_code == 200
    story.refresh_from_db()
    assert story.due_at == local(6, 16)


def test_a_draft_without_a_due_date_gets_one_at_the_end_of_the_day(client, editor):
    story = make_article(status=Status.DRAFT)
    assert move(client, editor, story, local(2, 0).date()).status_code == 200
    story.refresh_from_db()
    assert story.due_at == local(2, 17)


def test_moving_a_story_needs_a_post_and_a_day(client, publisher):
    story = make_article(status=Status.PUBLISHED, publish_at=local(3, 9))
    client.force_login(publisher)
    url = reverse("admin:desk_calendar_move", args=[story.pk])
    assert client.get(url).status_code == 405
    assert (
        client.post(url, {"date": "2026-02-30"}, HTTP_ACCEPT="application/json").status_code == 400
    )


# --- Planning a story -------------------------------------------------------------------------


def plan(client, user, writer, section, **fields):
    client.force_login(user)
    data = {
        "headline": "Council budget vote", "writer": writer.pk, "section": section.pk,
        "due_date": f"{local(3, 0):%Y-%m-%d}", "due_time": "15:00",
        "note": "800 words; call the treasurer.", **fields,
    }  # fmt: skip
    return client.post(URL, data)


def test_an_editor_plans_a_story_for_a_writer(client, editor, contributor):
    contributor.first_name, contributor.last_name = "Tomás", "Ruiz"
    contributor.save()
    Author.objects.create(name="Tomás Ruiz", slug="tomas-ruiz", user=contributor)
    section = make_section()
    response = plan(client, editor, contributor, section)
    assert response.status_code == 302
    story = Article.objects.get(headline="Council budget vote")
    assert story.status == Status.PLANNED and story.created_by == contributor
    assert story.due_at == local(3, 15) and story.section == section
    assert story.assignment_note == "800 words; call the treasurer."
    assert [b.author.user for b in story.bylines.all()] == [contributor]
    assert not Article.objects.live().filter(pk=story.pk).exists()
    html = client.get(response["Location"]).content.decode()
    assert "Planned “Council budget vote” for Tomás Ruiz, due" in html
    assert "800 words; call the treasurer." in html


def test_the_writer_finds_the_assignment_and_it_becomes_a_draft_when_written(
    client, editor, contributor
):
    plan(client, editor, contributor, make_section())
    story = Article.objects.get(headline="Council budget vote")
    client.force_login(contributor)
    home = client.get(reverse("admin:index")).content.decode()
    assigned = home.split('id="queue-assigned"')[1].split("</section>")[0]
    assert "Council budget vote" in assigned and "800 words; call the treasurer." in assigned
    story.headline = "Council passes the budget"
    services.save_article(article=story, user=contributor)
    assert Article.objects.get(pk=story.pk).status == Status.PLANNED  # still no text
    story.body = "<p>The council voted 7 to 2.</p>"
    services.save_article(article=story, user=contributor)
    assert Article.objects.get(pk=story.pk).status == Status.DRAFT
    [step] = story.transitions.all()
    assert (step.from_status, step.to_status, step.user) == ("planned", "draft", contributor)


def test_a_contributor_may_not_plan_stories(client, contributor, other_contributor):
    response = plan(client, contributor, other_contributor, make_section())
    assert response.status_code == 403
    assert not Article.objects.filter(headline="Council budget vote").exists()
    assert 'id="plan-story"' not in page(client, contributor).content.decode()


def test_a_plan_needs_a_writer_who_writes_a_section_and_a_day(client, editor, contributor):
    response = plan(client, editor, contributor, make_section(), headline="", due_date="")
    assert response.status_code == 200
    form = response.context["plan_form"]
    assert set(form.errors) == {"headline", "due_date"}
    assert not Article.objects.filter(status=Status.PLANNED).exists()


def test_the_planning_service_checks_who_plans_and_who_writes(editor, contributor, publisher):
    fields = {"headline": "Budget", "section": make_section(), "due_at": local(2, 12)}
    with pytest.raises(PermissionDenied):
        services.plan_story(user=contributor, writer=contributor, **fields)
    contributor.is_active = False
    contributor.save()
    with pytest.raises(ValidationError):
        services.plan_story(user=editor, writer=contributor, **fields)
    with pytest.raises(ValidationError):
        services.plan_story(user=editor, writer=publisher, **{**fields, "headline": "  "})
    assert not Article.objects.filter(status=Status.PLANNED).exists()


def test_planned_stories_are_never_live():
    story = make_article(status=Status.PLANNED, due_at=local(-1, 9), publish_at=local(-1, 9))
    assert not Article.objects.live().filter(pk=story.pk).exists()
    assert not story.is_live()
