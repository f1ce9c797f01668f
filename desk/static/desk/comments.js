/* Comments on a story, in the story form (templates/admin/desk/includes/story_comments.html):
 *
 * - The panel of threads (desk/comment_views.py answers in JSON): reply, resolve, reopen,
 *   delete; resolved threads are kept and shown on request.
 * - A passage of the body: select words in CKEditor and choose "Comment on the selected words"
 *   (finding and highlighting passages: comment_passages.js, loaded first).
 * - A field: "Comment" after it.
 * Loaded as a file, configured by data-* attributes: the admin's CSP allows no inline script.
 */
(function () {
  "use strict";

  const panel = document.getElementById("desk-comments");
  if (!panel) {
    return;
  }
  const list = panel.querySelector(".desk-comments-list");
  const count = panel.querySelector(".desk-comments-count");
  const form = document.getElementById("desk-comment-new");
  const target = document.getElementById("desk-comment-target");
  const textBox = document.getElementById("desk-comment-text");
  const error = document.getElementById("desk-comment-error");
  const cancel = document.getElementById("desk-comment-cancel");
  const showResolved = document.getElementById("desk-comments-show-resolved");
  const fields = JSON.parse(panel.dataset.fields || "{}");
  const passages = window.newsroomDesk.passages; // comment_passages.js
  const element = window.newsroomDesk.element; // desk/static/desk/desk_dom.js
  const REFRESH_SECONDS = 30;

  let threads = [];
  let active = null; // the thread being read or answered: its reply box is open
  let editor = null;
  let aim = {}; // what the next comment is about: {field} or {quote, before, after}

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function send(url, data) {
    const body = new FormData();
    Object.keys(data).forEach(function (name) {
      body.append(name, data[name]);
    });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    }).then(function (response) {
      return response.json().catch(function () {
        return { error: "The desk could not be reached. Try again." };
      }).then(function (answer) {
        if (!response.ok) {
          throw new Error(answer.error || "That did not work (" + response.status + "). Try again.");
        }
        return answer;
      });
    });
  }

  function urlFor(name, id) {
    return panel.dataset[name].replace("/0/", "/" + id + "/");
  }

  /* The threads from the desk; drawn again only when they changed. A signed-out session or
     a lost connection keeps what is shown (the story form says what is wrong). */
  let lastAnswer = "";
  function load() {
    return fetch(panel.dataset.url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok && !response.redirected ? response.text() : lastAnswer;
      })
      .then(function (text) {
        if (text && text !== lastAnswer) {
          threads = JSON.parse(text).comments;
          lastAnswer = text;
          render();
        }
      })
      .catch(function () {
        return null;
      });
  }

  /* Comments others make while the story is open appear without a reload, unless the
     person is writing one (their words are never redrawn away). */
  function refresh() {
    const writing = Array.from(panel.querySelectorAll("textarea")).some(function (box) {
      return box.value.trim() !== "";
    });
    if (document.visibilityState === "visible" && !writing) {
      load();
    }
  }

  // --- The panel -----------------------------------------------------------------------------

  /* Open a thread's reply box; `focus` when the person asked to reply, not when they only
     clicked a highlighted passage while writing. */
  function activate(id, focus) {
    active = String(id);
    renderList();
    const node = panel.querySelector(".desk-comment-thread.is-active");
    if (node) {
      node.scrollIntoView({ block: "nearest" });
      const box = node.querySelector("textarea");
      if (box && focus) {
        box.focus({ preventScroll: true });
      }
    }
  }

  function button(label, onClick, extra) {
    const node = element("button", Object.assign({ type: "button", class: "button" }, extra || {}), label);
    node.addEventListener("click", onClick);
    return node;
  }

  function act(promise) {
    promise.then(load).catch(function (failure) {
      window.alert(failure.message);
    });
  }

  function where(thread) {
    if (thread.is_return) {
      return "Returned to the writer";
    }
    if (thread.quote) {
      return thread.lost ? "On a passage no longer in the text" : "On a passage of the text";
    }
    return thread.field_label ? "On " + thread.field_label : "On the whole story";
  }

  function commentNode(comment, className) {
    const node = element("div", { class: className });
    node.appendChild(element("p", { class: "desk-comment-meta" }, comment.author + ", " + comment.when));
    node.appendChild(element("p", { class: "desk-comment-text" }, comment.text));
    return node;
  }

  function threadNode(thread) {
    const isActive = active === String(thread.id);
    const node = element("article", {
      class:
        "desk-comment-thread" + (thread.resolved ? " is-resolved" : "") + (isActive ? " is-active" : ""),
      "data-comment": String(thread.id),
    });
    node.appendChild(element("p", { class: "desk-comment-meta desk-comment-where" }, where(thread)));
    if (thread.quote) {
      const quote = element("blockquote", { class: "desk-comment-quote" }, thread.quote);
      if (!thread.resolved && !thread.lost && editor) {
        quote.title = "Show this passage in the text";
        quote.setAttribute("role", "button");
        quote.setAttribute("tabindex", "0");
        quote.addEventListener("click", function () {
          passages.show(editor, thread);
        });
        quote.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            passages.show(editor, thread);
          }
        });
      }
      node.appendChild(quote);
    }
    const first = commentNode(thread, "desk-comment-first");
    node.appendChild(first);
    thread.replies.forEach(function (answer) {
      node.appendChild(commentNode(answer, "desk-comment-reply"));
    });
    const actions = element("div", { class: "desk-comment-actions" });
    if (thread.resolved) {
      node.appendChild(element("p", { class: "desk-comment-meta" }, "Resolved by " + thread.resolved_by));
      actions.appendChild(button("Open again", function () {
        act(send(urlFor("resolveUrl", thread.id), { resolved: "0" }));
      }));
    } else if (isActive) {
      const id = "desk-reply-" + thread.id;
      actions.appendChild(element("label", { for: id }, "Reply"));
      const box = element("textarea", { id: id, rows: "2" });
      actions.appendChild(box);
      actions.appendChild(button("Send reply", function () {
        if (box.value.trim()) {
          act(send(urlFor("replyUrl", thread.id), { text: box.value }));
        }
      }, { class: "button desk-comment-send-reply" }));
    } else {
      actions.appendChild(button("Reply", function () {
        activate(thread.id, true);
      }, { class: "button desk-comment-start-reply" }));
    }
    if (!thread.resolved) {
      actions.appendChild(button("Resolve", function () {
        act(send(urlFor("resolveUrl", thread.id), { resolved: "1" }));
      }, { class: "button desk-comment-resolve" }));
    }
    if (thread.can_delete) {
      actions.appendChild(button("Delete", function () {
        if (window.confirm("Delete this comment and its replies?")) {
          act(send(urlFor("deleteUrl", thread.id), {}));
        }
      }, { class: "button desk-comment-delete" }));
    }
    node.appendChild(actions);
    return node;
  }

  function render() {
    if (editor) {
      passages.markInEditor(editor, threads);
    }
    const asRead = document.querySelector(".field-body_as_read .as-read");
    if (asRead) {
      passages.markAsRead(asRead, threads);
    }
    renderList();
  }

  /* The threads; an open return comment is at the top of the story, not here. */
  function renderList() {
    list.textContent = "";
    const here = threads.filter(function (thread) {
      return !(thread.is_return && !thread.resolved);
    });
    const open = here.filter(function (thread) {
      return !thread.resolved;
    });
    const shown = showResolved.checked ? here : open;
    shown.forEach(function (thread) {
      list.appendChild(threadNode(thread));
    });
    if (!shown.length) {
      list.appendChild(element("p", { class: "help" }, here.length ? "Every comment is resolved." : "No comments yet."));
    }
    count.textContent = open.length ? "(" + open.length + " open)" : "";
    document.querySelectorAll(".desk-comment-field-button").forEach(function (node) {
      const n = open.filter(function (thread) {
        return thread.field === node.dataset.field && !thread.quote;
      }).length;
      node.textContent = n ? "Comments (" + n + ")" : "Comment";
    });
  }

  // --- Starting a comment --------------------------------------------------------------------

  function aimAt(what, label, near) {
    aim = what;
    target.textContent = label;
    cancel.hidden = false;
    error.hidden = true;
    if (near) {
      near.after(form);
      form.classList.add("is-moved");
    }
    textBox.focus();
  }

  function aimAtStory() {
    aim = {};
    target.textContent = "On the whole story";
    cancel.hidden = true;
    form.classList.remove("is-moved");
    list.after(form);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!textBox.value.trim()) {
      error.textContent = "Write a comment first.";
      error.hidden = false;
      return;
    }
    send(panel.dataset.url, Object.assign({ text: textBox.value }, aim))
      .then(function () {
        textBox.value = "";
        error.hidden = true;
        aimAtStory();
        return load();
      })
      .catch(function (failure) {
        error.textContent = failure.message;
        error.hidden = false;
      });
  });
  cancel.addEventListener("click", aimAtStory);
  showResolved.addEventListener("change", renderList);

  function addFieldButtons() {
    Object.keys(fields).forEach(function (name) {
      if (name === "body") {
        return; // the body takes comments on its passages
      }
      const row = document.querySelector("#content-main form .field-" + name);
      const label = row && row.querySelector("label");
      if (!label) {
        return;
      }
      const node = button("Comment", function () {
        aimAt({ field: name }, "On " + fields[name], row);
      }, {
        class: "button desk-comment-field-button",
        "data-field": name,
        "aria-label": "Comment on " + fields[name],
      });
      label.parentElement.appendChild(node); // after the field, beside it on a wide screen
    });
  }

  function setUpEditor(found) {
    editor = found;
    passages.highlightIn(editor);
    const row = document.querySelector(".field-body");
    const passage = button("Comment on the selected words", function () {
      const selected = passages.selected(editor);
      if (selected) {
        aimAt(selected, "On “" + selected.quote + "”", passage);
      }
    }, { class: "button desk-comment-passage-button", disabled: "disabled" });
    const holder = row.querySelector(".ck-editor") || row.querySelector("label");
    holder.before(passage);
    editor.model.document.selection.on("change:range", function () {
      passage.disabled = editor.model.document.selection.isCollapsed;
    });
    followMarks(editor.editing.view.getDomRoot());
  }

  function whenEditorReady(then) {
    let tries = 0;
    const timer = setInterval(function () {
      const found = window.editors && window.editors.id_body;
      if (found || ++tries > 200 || !document.querySelector(".field-body textarea, .field-body .ck-editor")) {
        clearInterval(timer);
        then(found || null);
      }
    }, 50);
  }

  function followMarks(container) {
    container.addEventListener("click", function (event) {
      const mark = event.target.closest("[data-comment]");
      if (mark) {
        activate(mark.dataset.comment);
      }
    });
  }

  addFieldButtons();
  const asRead = document.querySelector(".field-body_as_read .as-read");
  if (asRead) {
    followMarks(asRead);
  }
  whenEditorReady(function (found) {
    if (found) {
      setUpEditor(found);
    }
    load().then(function () {
      panel.dataset.ready = "true";
      setInterval(refresh, REFRESH_SECONDS * 1000);
    });
  });
})();
