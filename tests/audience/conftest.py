import pytest
from django.utils import timezone

from articles.models import Status
from audience.models import Dimension, Kind
from tests.audience import rollup_factories as rollups
from tests.factories import make_article, make_author


@pytest.fixture
def newsroom_read(contributor, other_contributor):
    """Two writers' live stories, read today: the contributor's "Mine" (30 views) and the
    other's "Theirs" (57), with the site's sections, sources and searches."""
    mine = make_article(
        status=Status.PUBLISHED, author=make_author(name="Mina Writer", user=contributor),
        created_by=contributor, headline="Mine: the harbour reopens",
    )  # fmt: skip
    theirs = make_article(
        status=Status.PUBLISHED, author=make_author(name="Theo Other", user=other_contributor),
        created_by=other_contributor, headline="Theirs: council budget",
    )  # fmt: skip
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    rollups.story_read(mine, views=30, visitors=25, engaged_seconds=600, engagements=20,
                       reads_to_end=12, hour=hour)  # fmt: skip
    rollups.story_read(theirs, views=57, visitors=40, engaged_seconds=300, engagements=10,
                       hour=hour)  # fmt: skip
    rollups.read(Kind.SECTION, theirs.section_id, views=57)
    for kind, pk in ((Kind.SITE, 0), (Kind.STORY, theirs.pk)):
        rollups.came_from(kind, pk, Dimension.REFERRER, "social", 57)
        rollups.came_from(kind, pk, Dimension.DOMAIN, "theirs-only.example", 57)
    rollups.came_from(Kind.SITE, 0, Dimension.REFERRER, "search", 30)
    rollups.came_from(Kind.STORY, mine.pk, Dimension.REFERRER, "search", 30)
    rollups.came_from(Kind.STORY, mine.pk, Dimension.DEVICE, "mobile", 30)
    rollups.came_from(Kind.SITE, 0, Dimension.DEVICE, "mobile", 87)
    rollups.searched("harbour ferry", 7)
    return {"mine": mine, "theirs": theirs}
