/* Comments on a story, in the story form (templates/admin/desk/includes/story_comments.html):
 *
 * - The panel of threads (desk/comment_views.py answers in JSON): reply, resolve, reopen,
 *   delete; resolved threads are kept and shown on request.
 * - A passage of the body: select words in CKEditor and choose "Comment on the selected words".
 *   The passage is stored as its words and a little text either side, so it is found again as
 *   the body changes; it is highlighted with a CKEditor marker, drawn in the editing view only,
 *   so nothing of it ever reaches the saved body.
 * - A field: "Comment" beside its label.
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
  const CONTEXT = 100; // characters kept either side of a passage (desk/comments.py)
  const MARKER = "desk-comment";
  const REFRESH_SECONDS = 30;

  let threads = [];
  let active = null; // the thread being read or answered: its reply box is open
  let editor = null;
  let aim = {}; // what the next comment is about: {field} or {quote, before, after}

  function element(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  }

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

  // --- The body as text, and back to positions in CKEditor's model ---------------------------

  /* The body's words, blocks joined by new lines, and where each run of text starts. */
  function textMap() {
    const root = editor.model.document.getRoot();
    const pieces = [];
    let text = "";
    let lastParent = null;
    for (const value of editor.model.createRangeIn(root)) {
      if (value.type !== "text") {
        continue;
      }
      if (lastParent && value.item.parent !== lastParent) {
        text += "\n";
      }
      lastParent = value.item.parent;
      pieces.push({ start: text.length, length: value.item.data.length, position: value.previousPosition });
      text += value.item.data;
    }
    return { text: text, pieces: pieces };
  }

  function offsetOf(map, position) {
    for (const piece of map.pieces) {
      const start = piece.position;
      const before = position.compareWith(start);
      if (before === "before" || before === "same") {
        return piece.start;
      }
      const end = position.compareWith(start.getShiftedBy(piece.length));
      if (end === "before" || end === "same") {
        return piece.start + (position.offset - start.offset);
      }
    }
    return map.text.length;
  }

  function positionAt(map, offset, isEnd) {
    for (const piece of map.pieces) {
      const end = piece.start + piece.length;
      if (offset >= piece.start && (isEnd ? offset <= end : offset < end)) {
        return piece.position.getShiftedBy(offset - piece.start);
      }
    }
    return null;
  }

  function sameLength(a, b, fromEnd) {
    let n = 0;
    while (n < a.length && n < b.length) {
      const x = fromEnd ? a[a.length - 1 - n] : a[n];
      const y = fromEnd ? b[b.length - 1 - n] : b[n];
      if (x !== y) {
        break;
      }
      n += 1;
    }
    return n;
  }

  /* Where the passage is now: the occurrence of its words whose surroundings match best. */
  function locate(map, thread) {
    let best = -1;
    let bestScore = -1;
    let at = map.text.indexOf(thread.quote);
    while (at !== -1) {
      const before = map.text.slice(Math.max(0, at - thread.before.length), at);
      const after = map.text.slice(at + thread.quote.length, at + thread.quote.length + thread.after.length);
      const score = sameLength(before, thread.before, true) + sameLength(after, thread.after, false);
      if (score > bestScore) {
        best = at;
        bestScore = score;
      }
      at = map.text.indexOf(thread.quote, at + 1);
    }
    return best;
  }

  function selectedPassage() {
    const selection = editor.model.document.selection;
    if (selection.isCollapsed) {
      return null;
    }
    const range = selection.getFirstRange();
    const map = textMap();
    let start = offsetOf(map, range.start);
    let end = offsetOf(map, range.end);
    while (start < end && /\s/.test(map.text[start])) {
      start += 1;
    }
    while (end > start && /\s/.test(map.text[end - 1])) {
      end -= 1;
    }
    if (end <= start) {
      return null;
    }
    return {
      quote: map.text.slice(start, end),
      before: map.text.slice(Math.max(0, start - CONTEXT), start),
      after: map.text.slice(end, end + CONTEXT),
    };
  }

  function markPassages() {
    if (!editor) {
      return;
    }
    const map = textMap();
    editor.model.change(function (writer) {
      Array.from(editor.model.markers.getMarkersGroup(MARKER)).forEach(function (marker) {
        writer.removeMarker(marker);
      });
      threads.forEach(function (thread) {
        if (!thread.quote || thread.resolved) {
          return;
        }
        const at = locate(map, thread);
        const start = at === -1 ? null : positionAt(map, at, false);
        const end = at === -1 ? null : positionAt(map, at + thread.quote.length, true);
        thread.lost = !start || !end;
        if (!thread.lost) {
          writer.addMarker(MARKER + ":" + thread.id, {
            range: writer.createRange(start, end),
            usingOperation: false,
            affectsData: false,
          });
        }
      });
    });
  }

  // --- The body as read, when the person may not edit it: marks in the page's own copy ------

  const READ_BLOCKS = "p, h1, h2, h3, h4, h5, h6, li, blockquote, figcaption, td, th, pre";

  function readTextMap(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const pieces = [];
    let text = "";
    let lastBlock = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const block = node.parentElement.closest(READ_BLOCKS);
      if (!block || !root.contains(block)) {
        continue; // the white space between blocks
      }
      if (lastBlock && block !== lastBlock) {
        text += "\n";
      }
      lastBlock = block;
      pieces.push({ start: text.length, node: node });
      text += node.data;
    }
    return { text: text, pieces: pieces };
  }

  function markReadPassages(root) {
    root.querySelectorAll("mark.desk-comment-mark").forEach(function (mark) {
      mark.replaceWith.apply(mark, Array.from(mark.childNodes));
    });
    root.normalize();
    threads.forEach(function (thread) {
      if (!thread.quote || thread.resolved) {
        return;
      }
      const map = readTextMap(root); // again for each: marking splits the text
      const at = locate(map, thread);
      if (at === -1) {
        return;
      }
      const end = at + thread.quote.length;
      map.pieces.slice().reverse().forEach(function (piece) {
        const from = Math.max(at, piece.start) - piece.start;
        const to = Math.min(end, piece.start + piece.node.data.length) - piece.start;
        if (from >= to) {
          return;
        }
        const range = document.createRange();
        range.setStart(piece.node, from);
        range.setEnd(piece.node, to);
        range.surroundContents(element("mark", { class: "desk-comment-mark", "data-comment": String(thread.id) }));
      });
    });
  }

  function showPassage(thread) {
    const marker = editor && editor.model.markers.get(MARKER + ":" + thread.id);
    if (!marker) {
      return;
    }
    editor.model.change(function (writer) {
      writer.setSelection(marker.getRange());
    });
    editor.editing.view.focus();
    editor.editing.view.scrollToTheSelection();
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
          showPassage(thread);
        });
        quote.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            showPassage(thread);
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
    markPassages();
    const asRead = document.querySelector(".field-body_as_read .as-read");
    if (asRead) {
      markReadPassages(asRead);
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
    editor.conversion.for("editingDowncast").markerToHighlight({
      model: MARKER,
      view: function (data) {
        return {
          classes: "desk-comment-mark",
          attributes: { "data-comment": data.markerName.split(":")[1] },
        };
      },
    });
    const row = document.querySelector(".field-body");
    const passage = button("Comment on the selected words", function () {
      const selected = selectedPassage();
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
