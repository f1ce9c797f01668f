"""What publishing a story will send, in the words the desk's publish step shows before it
happens: "Publish and email 3 subscribers of Diplomacy Watch" (docs/newsletters.md, "Issues").

It reads what `issue_making` would do for the story (the same newsletters, the same rule that
a story lands in at most one issue of a newsletter) and counts who would be mailed."""

from dataclasses import dataclass

from articles.models import Article

from .delivering import recipients
from .issue_making import newsletters_fed_by
from .models import Cadence, IssueStory, Newsletter


@dataclass(frozen=True)
class Mailing:
    """One newsletter the story would go out in, and to how many people."""

    newsletter: Newsletter
    subscribers: int

    @property
    def _people(self) -> str:
        n = self.subscribers
        return f"{n} subscriber{'' if n == 1 else 's'} of {self.newsletter.name}"

    @property
    def now(self) -> str:
        """As the publish button says it: "email 3 subscribers of Diplomacy Watch"."""
        if self.newsletter.cadence != Cadence.EACH:  # "a daily digest"
            digest = self.newsletter.get_cadence_display().lower().removeprefix("a ")
            return f"add it to the next {digest} to {self._people}"
        if self.newsletter.send_automatically:
            return f"email {self._people}"
        return f"make an email to {self._people} for the desk to send"

    @property
    def later(self) -> str:
        """As the schedule button says it: "emails 3 subscribers of Diplomacy Watch"."""
        verb, _, rest = self.now.partition(" ")
        return f"{verb}s {rest}"


def mailings_for(article: Article) -> list[Mailing]:
    """The newsletters publishing this story would email (or put it in), with their number
    of recipients; empty for pending changes, which are never mailed."""
    if article.pk is None or article.pending_for_id:
        return []
    fed = [
        *newsletters_fed_by(article),
        *newsletters_fed_by(article, cadence=Cadence.DAILY),
        *newsletters_fed_by(article, cadence=Cadence.WEEKLY),
    ]
    carried = set(
        IssueStory.objects.filter(article=article).values_list("issue__newsletter", flat=True)
    )
    return [
        Mailing(newsletter, recipients(newsletter).count())
        for newsletter in fed
        if newsletter.pk not in carried
    ]


def describe(mailings: list[Mailing], *, scheduled: bool = False) -> str:
    """All of them in one phrase: "email 3 subscribers of A and 40 subscribers of B"."""
    parts = [m.later if scheduled else m.now for m in mailings]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
