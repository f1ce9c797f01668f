"""What a review of the audience code found, each kept from coming back: a referrer that
would have stopped the fold for good; an embargoed story shown to a contributor because their
byline was on it; a story's existence told by its figures' address."""

import pytest

from articles.models import Status
from audience.events import VIEW, Event
from audience.folding import fold_pending
from audience.models import DayBreakdown, Dimension
from tests.audience import beacon_kit
from tests.audience import rollup_factories as rollups
from tests.audience.beacon_kit import buffered, report, send
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db
buffer_backend = beacon_kit.buffer_backend  # the fixture: each test on both buffers


@pytest.mark.parametrize(
    "referrer", ["http://a\u0000b\ud800.com/", "https://bad host.example/", "http://ex%00ample/"]
)
def test_a_referrer_that_is_no_host_name_is_kept_without_its_domain_and_folds(
    client, buffer_backend, referrer
):
    send(client, report(r=referrer))
    (event,) = buffered()
    assert event.domain == ""
    assert fold_pending() == 1  # and the next event is folded too: nothing is stuck
    send(client, report())
    assert fold_pending() == 1
    domains = DayBreakdown.objects.filter(dimension=Dimension.DOMAIN).values_list(
        "value", flat=True
    )
    assert all(value.isascii() and value.isprintable() for value in domains)


def test_an_international_referrer_is_kept_as_its_ascii_name(client, buffer_backend):
    send(client, report(r="https://www.bücher.example/page"))
    assert buffered()[0].domain == "xn--bcher-kva.example"


def test_an_event_with_unprintable_text_is_skipped_not_folded_forever(buffer_backend):
    from audience import buffer

    store = buffer.buffer()
    bad = Event(at=1.0, kind=VIEW, domain="a\x00b").encode()
    if isinstance(store, buffer.RedisBuffer):
        store.client.xadd(store.key, {"e": bad})
    else:
        from audience.models import PendingEvent

        PendingEvent.objects.create(data=bad)
    store.append(Event(at=1.0, kind=VIEW))
    assert fold_pending() == 1
    assert len(store) == 0


def test_a_contributor_does_not_see_an_embargoed_story_someone_else_created(
    client, contributor, editor
):
    byline = make_author(name="Mina Writer", user=contributor)
    embargoed = make_article(status=Status.APPROVED, author=byline, created_by=editor,
                             headline="Embargoed: the minister resigns")  # fmt: skip
    rollups.story_read(embargoed, views=40)
    client.force_login(contributor)

    assert client.get(f"/admin/audience/story/{embargoed.pk}/").status_code == 403
    page = client.get("/admin/audience/?period=7d").content.decode()
    assert "Embargoed" not in page
    csv = client.get("/admin/audience/", {"period": "7d", "csv": "stories"}).content.decode()
    assert "Embargoed" not in csv


def test_a_story_that_does_not_exist_is_403_to_a_contributor_and_404_to_an_editor(
    client, contributor, editor
):
    client.force_login(contributor)
    assert client.get("/admin/audience/story/987654/").status_code == 403
    client.force_login(editor)
    assert client.get("/admin/audience/story/987654/").status_code == 404
