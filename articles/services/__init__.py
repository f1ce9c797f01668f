"""Editorial work on stories: saving, the workflow steps, restoring revisions, pending
changes, the calendar's moves, share links. One module an idea (writing.py: the lock and the
announcement every write shares; saving.py; steps.py and its table STEPS; pending.py;
planning.py; sharing.py); callers use them from here, and the desk's save (save_story) is here.

The services are the only writers of a story and its parts: the admin (its save, inlines and
workflow buttons), autosave, the WordPress import, the demo loader and the corpus generator
all call them. Each function is one transaction, checks permissions itself, and says once,
when it commits, what the change means for readers (`articles.changes.reader_impact`).
Commands act as `SYSTEM`, an explicit actor that may do anything and is logged as "system".
"""

from datetime import datetime

from caching import invalidation
from desk import working_copies

from ..changes import Relations
from ..models import Article

# The services, by idea; callers use them from here.
from .authors import (  # noqa: F401
    PROFILE_FIELDS,
    approve_profile_change,
    pending_change,
    profile_values,
    propose_profile_change,
    reject_profile_change,
    with_proposal,
)
from .pending import (  # noqa: F401
    PendingChangesConflict,
    discard_pending_changes,
    pending_merge,
    propose_changes,
    publish_pending_changes,
    save_as_pending_changes,
)
from .planning import (  # noqa: F401
    plan_story,
    reschedule,
    set_due_date,
)
from .saving import (  # noqa: F401
    add_tag,
    delete_article,
    prepare_article,
    publishing_problems,
    restore_revision,
    save_article,
)
from .sharing import (  # noqa: F401
    article_for_share_token,
    revoke_share_links,
    share_token,
)
from .steps import (  # noqa: F401
    PENDING_STEPS,
    STEPS,
    Step,
    approve,
    archive,
    original_date,
    publish,
    publish_again,
    restore_from_archive,
    return_to_writer,
    schedule,
    steps_for,
    submit,
    take_step,
    unpublish,
)
from .writing import (  # noqa: F401
    SYSTEM,
    StaleStory,
    SystemActor,
    WorkflowError,
    _service,
    unique_slug,
)


@_service
def save_and_step(
    *,
    article: Article,
    user,
    step: str,
    comment: str = "",
    at: datetime | None = None,
    email: bool = False,
    **save,
) -> Article:
    """The desk's "Save and submit" (approve, publish, schedule…): the form's changes and the
    step in one transaction, or neither, announced to readers once. `email` as for publish."""
    with invalidation.announced_by_service():
        save_article(article=article, user=user, **save)
        return take_step(article=article, user=user, step=step, comment=comment, at=at, email=email)


@_service
def save_story(
    *,
    article: Article,
    user,
    relations: Relations | None = None,
    started_from: int | None = None,
    mark_updated: bool = False,
    as_pending: bool = False,
    step: str = "",
    comment: str = "",
    at: datetime | None = None,
    email: bool = False,
    working_copy_tab: str | None = None,
) -> Article:
    """The desk's save, whichever button was pressed: the form's story as it is (`article`,
    its fields set), with its inlines' rows. Saved as is, saved and stepped (`step`), or, for
    a live story, saved as pending changes that readers do not see. Returns the story the
    desk shows next (the pending changes, or the live story their publishing changed)."""
    if as_pending:
        return save_as_pending_changes(
            article=article, user=user, relations=relations, started_from=started_from
        )
    save = {"relations": relations, "started_from": started_from, "mark_updated": mark_updated,
            "working_copy_tab": working_copy_tab}  # fmt: skip
    if not step:
        return save_article(article=article, user=user, **save)
    return save_and_step(
        article=article, user=user, step=step, comment=comment, at=at, email=email, **save
    )


# --- Autosave: a person's private working copy, never the story ---------------------------------

# Autosave writes no story: it keeps one person's unsaved form (desk/working_copies.py).
# It is reached from here like every other write, so the desk has one place to look.
save_working_copy = working_copies.save_working_copy
discard_working_copy = working_copies.discard_working_copy
