"""Who may do what in the admin: one table, role × action, checked on the server.

Every cell is tested twice over. Through the form: as that user, open the admin page and see
whether the button, link or editable field is offered (it must be offered exactly when the
action is allowed). Then the POST: the one the form sends when it is offered, and the one the
UI would not offer (a Contributor posting the publish step, publish times, a published slug, an
other person's story id) when it is not. Afterwards the database must be changed exactly when
the action is allowed — a status code alone proves nothing.

docs/permissions.md is generated from MATRIX; test_the_permissions_doc_matches_the_matrix keeps
them from drifting (UPDATE_DOCS=1 rewrites the doc).
"""

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from articles.roles import CONTRIBUTOR, EDITOR, PUBLISHER
from tests.articles.permission_checks import CHECKS
from tests.factories import make_user

Y, N = True, False
ROLES = ["Anonymous", "Contributor", "Editor", "Publisher", "Superuser"]

# THE table. "own" = a story the acting user created; "someone else's" = one another
# Contributor created. How each row is tested is in tests/articles/permission_checks.py.
MATRIX: dict[str, tuple[bool, bool, bool, bool, bool]] = {
    # Stories                                     Anon Contr Edit Publ Super
    "Create a story":                              (N, Y, Y, Y, Y),
    "Edit own draft":                              (N, Y, Y, Y, Y),
    "Edit own story after submitting it":          (N, N, Y, Y, Y),
    "Edit someone else's draft":                   (N, N, Y, Y, Y),
    "Edit a live story":                           (N, N, Y, Y, Y),
    "Delete a story":                              (N, N, N, Y, Y),
    "Restore a revision of own draft":             (N, Y, Y, Y, Y),
    "Restore a revision of someone else's draft":  (N, N, Y, Y, Y),
    "Make a share link for someone else's draft":  (N, N, Y, Y, Y),
    "Revoke the share links of own draft":         (N, Y, Y, Y, Y),
    # Workflow
    "Submit own draft":                            (N, Y, Y, Y, Y),
    "Submit someone else's draft":                 (N, N, Y, Y, Y),
    "Approve a submitted story":                   (N, N, Y, Y, Y),
    "Return a submitted story to its writer":      (N, N, Y, Y, Y),
    "Publish an approved story now":               (N, N, N, Y, Y),
    "Schedule an approved story":                  (N, N, N, Y, Y),
    "Publish own draft, skipping the edit":        (N, N, N, N, N),
    "Unpublish a live story":                      (N, N, N, Y, Y),
    "Archive an approved story":                   (N, N, Y, Y, Y),
    "Archive a live story":                        (N, N, N, Y, Y),
    # Fields of a story the user may otherwise edit
    "Set the publish time":                        (N, N, N, Y, Y),
    "Set the unpublish time":                      (N, N, N, Y, Y),
    "Set the public 'Updated' time":               (N, N, N, Y, Y),
    "Change the slug of own draft":                (N, Y, Y, Y, Y),
    "Change the slug of a published story":        (N, N, N, Y, Y),
    "Set the status field directly":               (N, N, N, N, N),
    # The rest of the admin
    "Upload an image to the library":              (N, Y, Y, Y, Y),
    "Upload an image from the story editor":       (N, Y, Y, Y, Y),
    "Upload through CKEditor's own endpoint":      (N, N, N, N, N),
    "Change site settings":                        (N, N, N, Y, Y),
    "Change the header or footer menu":            (N, N, N, Y, Y),
    "Manage users":                                (N, N, N, N, Y),
    # Newsletters
    "Edit a newsletter issue's intro":             (N, N, Y, Y, Y),
    "Send a newsletter issue":                     (N, N, Y, Y, Y),
}  # fmt: skip


def make_role(role: str):
    if role == "Anonymous":
        return None
    if role == "Superuser":
        return make_user(superuser=True)
    return make_user({"Contributor": CONTRIBUTOR, "Editor": EDITOR, "Publisher": PUBLISHER}[role])


CELLS = [(action, role) for action in MATRIX for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize("action, role", CELLS, ids=[f"{a} | {r}" for a, r in CELLS])
def test_permission_matrix(client, action, role):
    allowed = MATRIX[action][ROLES.index(role)]
    check = CHECKS[action]
    ctx = SimpleNamespace(user=make_role(role), other=make_user(CONTRIBUTOR))
    check.setup(ctx)
    if ctx.user is not None:
        client.force_login(ctx.user)
    assert check.offered(client, ctx) == allowed, "offered in the admin" if not allowed else ""
    response = check.attempt(client, ctx)
    assert response.status_code < 500
    assert check.done(ctx, response) == allowed, response


def test_every_row_of_the_matrix_has_a_check():
    assert list(CHECKS) == list(MATRIX)


# --- The generated doc ------------------------------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def permissions_markdown() -> str:
    lines = [
        "# Who may do what",
        "",
        "Generated from `MATRIX` in `tests/articles/test_permission_matrix.py`, which tests",
        "every cell twice: the admin offers the action (button, link, editable field) exactly",
        "when it is allowed, and a POST — the form's, or one crafted by hand — changes the",
        "database exactly when it is allowed. A test fails when this file and the table",
        "differ; regenerate it with",
        "",
        "    UPDATE_DOCS=1 .venv/bin/python -m pytest "
        "tests/articles/test_permission_matrix.py -k doc",
        "",
        "“Own” is a story the user created; “someone else's” is one another Contributor created.",
        "The rules themselves are in `articles/roles.py`.",
        "",
        "| Action | " + " | ".join(ROLES) + " |",
        "|---|" + "---|" * len(ROLES),
    ]
    for action, row in MATRIX.items():
        cells = ["yes" if allowed else "no" for allowed in row]
        lines.append(f"| {action} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def test_the_permissions_doc_matches_the_matrix():
    if os.environ.get("UPDATE_DOCS"):
        DOC.write_text(permissions_markdown())
    assert DOC.read_text() == permissions_markdown(), (
        "docs/permissions.md is out of date: run with UPDATE_DOCS=1"
    )
