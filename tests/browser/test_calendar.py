"""The editorial calendar in Chromium, as staff use it: a publisher drags a scheduled story to
another day (at a laptop's width) or moves it with "Move to…" (on a phone); a contributor may
not; an editor plans a story that the writer then finds and writes. The console is collected
on every page: a JavaScript error or a CSP violation fails the test."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Author, Status
from articles.roles import CONTRIBUTOR, EDITOR, PUBLISHER
from tests.browser.staff import log_in, open_page, type_in_body
from tests.factories import make_article, make_section, make_user

pytestmark = [pytest.mark.django_db(transaction=True)]


def local(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def a_later_week():
    """(a day eight days from now, another day of its week): both in the future."""
    day = timezone.localdate() + timedelta(days=8)
    monday = day - timedelta(days=day.weekday())
    return day, monday if monday != day else monday + timedelta(days=1)


@pytest.fixture
def phone_context(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    yield context
    context.close()


def calendar_url(base: str, day, view: str = "week") -> str:
    return f"{base}/admin/desk/calendar/?view={view}&start={day:%Y-%m-%d}"


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_publisher_drags_a_scheduled_story_to_another_day(live_server, context):
    publisher = make_user(PUBLISHER)
    day, other_day = a_later_week()
    story = make_article(
        status=Status.PUBLISHED, publish_at=local(day, 9, 30), headline="Harbour report"
    )
    page, errors = open_page(context)
    log_in(page, live_server.url, publisher)
    page.goto(calendar_url(live_server.url, day))
    expect(page.locator("#calendar-zone")).to_have_text(
        "Times in New York time (America/New_York)."
    )
    card = page.locator(f"#story-{story.pk}")
    expect(page.locator(f"#day-{day:%Y-%m-%d}")).to_contain_text("Harbour report")
    expect(card).to_contain_text("Scheduled")
    page.drag_and_drop(f"#story-{story.pk} .cal-time", f"#day-{other_day:%Y-%m-%d}")
    expect(page.locator("#calendar-status")).to_contain_text(
        "“Harbour report” is now scheduled for"
    )
    expect(page.locator(f"#day-{other_day:%Y-%m-%d} #story-{story.pk}")).to_have_count(1)
    story.refresh_from_db()
    assert story.publish_at == local(other_day, 9, 30)  # the time of day is kept
    page.reload()
    expect(page.locator(f"#day-{other_day:%Y-%m-%d}")).to_contain_text("Harbour report")
    expect(page.locator(f"#day-{day:%Y-%m-%d}")).not_to_contain_text("Harbour report")
    assert no_sideways_scroll(page)
    assert errors == []


def test_a_contributor_cannot_move_a_scheduled_story(live_server, context):
    writer = make_user(CONTRIBUTOR)
    day, other_day = a_later_week()
    story = make_article(
        status=Status.PUBLISHED, publish_at=local(day, 7), headline="My column",
        created_by=writer,
    )  # fmt: skip
    page, errors = open_page(context)
    log_in(page, live_server.url, writer)
    page.goto(calendar_url(live_server.url, day))
    card = page.locator(f"#story-{story.pk}")
    expect(card).to_contain_text("Only a publisher can move it.")
    expect(card).not_to_have_attribute("draggable", "true")
    expect(card.locator(".cal-move")).to_have_count(0)
    page.drag_and_drop(f"#story-{story.pk} .cal-time", f"#day-{other_day:%Y-%m-%d}")
    expect(page.locator(f"#day-{day:%Y-%m-%d} #story-{story.pk}")).to_have_count(1)
    # The wall is on the server: a move sent anyway, in the contributor's session, is refused.
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    answer = page.request.post(
        f"{live_server.url}/admin/desk/calendar/{story.pk}/move/",
        form={"date": f"{other_day:%Y-%m-%d}"},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )
    assert answer.status == 403
    assert answer.json()["message"] == "Not moved: Only a publisher may move a scheduled story."
    story.refresh_from_db()
    assert story.publish_at == local(day, 7)
    assert errors == []


def test_on_a_phone_a_publisher_moves_a_story_with_move_to(live_server, phone_context):
    publisher = make_user(PUBLISHER)
    day, other_day = a_later_week()
    story = make_article(
        status=Status.PUBLISHED, publish_at=local(day, 18, 15), headline="Night ferry"
    )
    page, errors = open_page(phone_context)
    log_in(page, live_server.url, publisher)
    page.goto(calendar_url(live_server.url, day, view="month"))
    assert no_sideways_scroll(page)
    card = page.locator(f"#story-{story.pk}")
    expect(card).to_be_visible()
    card.get_by_text("Move to…").click()
    card.get_by_label("New day").fill(f"{other_day:%Y-%m-%d}")
    card.get_by_role("button", name="Move", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("“Night ferry” is now scheduled for")
    expect(page.locator(f"#day-{other_day:%Y-%m-%d}")).to_contain_text("Night ferry")
    story.refresh_from_db()
    assert story.publish_at == local(other_day, 18, 15)
    assert no_sideways_scroll(page)
    assert errors == []


def test_an_editor_plans_a_story_and_the_writer_writes_it(live_server, browser, context):
    editor = make_user(EDITOR)
    writer = make_user(CONTRIBUTOR)
    writer.first_name, writer.last_name = "Ana", "Lima"
    writer.save()
    Author.objects.create(name="Ana Lima", slug="ana-lima", user=writer)
    section = make_section(name="City")
    day = timezone.localdate() + timedelta(days=3)

    page, errors = open_page(context)
    log_in(page, live_server.url, editor)
    page.goto(calendar_url(live_server.url, day))
    page.locator(f"#day-{day:%Y-%m-%d} .cal-plan-link").click()
    form = page.locator("#plan-story")
    expect(form.get_by_label("Due:", exact=True)).to_have_value(f"{day:%Y-%m-%d}")
    form.get_by_label("Working headline:", exact=True).fill("Tram line opens")
    form.get_by_label("Writer:", exact=True).select_option(label="Ana Lima")
    form.get_by_label("Section:", exact=True).select_option(label="City")
    form.get_by_label("at:", exact=True).fill("15:00")
    form.get_by_label("Note for the writer:", exact=True).fill("Ride the first tram; 600 words.")
    page.click("#plan-submit")
    expect(page.locator(".messagelist")).to_contain_text(
        "Planned “Tram line opens” for Ana Lima, due"
    )
    planned = page.locator(f"#day-{day:%Y-%m-%d} .cal-kind-planned")
    expect(planned).to_contain_text("Tram line opens")
    expect(planned).to_contain_text("due 15:00")
    story = Article.objects.get(headline="Tram line opens")
    assert story.status == Status.PLANNED and story.created_by == writer
    assert story.due_at == local(day, 15) and story.section == section
    assert errors == []

    writer_context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        tab, writer_errors = open_page(writer_context)
        log_in(tab, live_server.url, writer)
        assigned = tab.locator("#queue-assigned")
        expect(assigned).to_contain_text("Tram line opens")
        expect(assigned).to_contain_text("Ride the first tram; 600 words.")
        assigned.get_by_role("link", name="Tram line opens").click()
        expect(tab.locator("#id_headline")).to_have_value("Tram line opens")
        expect(tab.locator("#story-desk[data-ready=true]")).to_have_count(1)
        type_in_body(tab, "The first tram left the depot at dawn.")
        tab.click("input[name=_continue]")
        expect(tab.locator(".messagelist")).to_be_visible()
        story.refresh_from_db()
        assert story.status == Status.DRAFT
        assert "The first tram left the depot at dawn." in story.body
        tab.goto(calendar_url(live_server.url, day))
        expect(tab.locator(f"#story-{story.pk}")).to_contain_text("Draft")
        tab.goto("about:blank")  # the story's heartbeat stops before the context goes
        assert writer_errors == []
    finally:
        writer_context.close()
