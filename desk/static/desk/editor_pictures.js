/* Under the story body (templates/admin/articles/article/includes/editor_view.html):
 *
 * - "Insert a picture from the library": search the library (articles/editor_views.py) and
 *   place a picture in the body as a figure whose image is the library file, so media/body.py
 *   draws it for readers with its renditions and credit; the caption carries the credit too,
 *   so the editor shows it while writing.
 * - The word count and reading time, as the text changes.
 * Loaded as a file, configured by data-* attributes: the admin's CSP allows no inline script.
 */
(function () {
  "use strict";

  const script = document.getElementById("editor-pictures-script");
  const WORDS_PER_MINUTE = 230;

  const element = window.newsroomDesk.element; // desk_dom.js

  function escapeHtml(text) {
    return String(text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }

  function whenEditorReady(id, then) {
    let tries = 0;
    const timer = setInterval(function () {
      const editor = window.editors && window.editors[id];
      if (editor || ++tries > 200) {
        clearInterval(timer);
        if (editor) {
          then(editor);
        }
      }
    }, 50);
  }

  /* The figure a library picture becomes in the body: the sanitiser keeps it as it is. */
  function figureHtml(found) {
    const caption = [found.caption, found.credit].filter(Boolean).join(" ");
    return (
      '<figure class="image"><img src="' + escapeHtml(found.src) + '" alt="' +
      escapeHtml(found.alt) + '">' +
      (caption ? "<figcaption>" + escapeHtml(caption) + "</figcaption>" : "") +
      "</figure>"
    );
  }

  function place(editor, found) {
    const view = editor.data.processor.toView(figureHtml(found));
    editor.model.insertContent(editor.data.toModel(view));
    editor.editing.view.focus();
  }

  function resultItem(editor, found, panel) {
    const button = element("button", { type: "button", "data-image-id": found.id });
    button.appendChild(element("img", { src: found.thumb, alt: "" }));
    const text = element("span");
    text.appendChild(element("span", {}, found.caption || found.alt || "No caption"));
    text.appendChild(element("br"));
    text.appendChild(element("span", { class: "credit" },
      found.credit || "No credit yet: add it in the library before placing this picture"));
    button.appendChild(text);
    if (!found.credit) {
      button.disabled = true; // every picture is credited: readers never get one without
    }
    button.addEventListener("click", function () {
      place(editor, found);
      panel.hidden = true;
    });
    const item = element("li");
    item.appendChild(button);
    return item;
  }

  function libraryPanel(editor) {
    const panel = element("div", { class: "library-panel", id: "library-panel" });
    panel.hidden = true;
    const label = element("label", { for: "library-query" }, "Search the library by caption, alt text or credit");
    const query = element("input", { type: "search", id: "library-query", autocomplete: "off" });
    const status = element("p", { class: "help", role: "status" });
    const results = element("ul", { class: "library-results" });
    [label, query, status, results].forEach(function (node) {
      panel.appendChild(node);
    });
    let timer = null;
    let asked = 0;

    function search() {
      const n = ++asked;
      const url = script.dataset.libraryUrl + "?q=" + encodeURIComponent(query.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : Promise.reject(response.status);
        })
        .then(function (data) {
          if (n !== asked) {
            return;
          }
          results.replaceChildren();
          data.results.forEach(function (found) {
            results.appendChild(resultItem(editor, found, panel));
          });
          status.textContent = data.results.length ? "" : "No pictures found.";
        })
        .catch(function () {
          status.textContent = "The library could not be searched. Try again.";
        });
    }

    query.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // not a submit of the story form
        search();
      }
    });
    panel.search = search;
    return panel;
  }

  function wordCount(editor, line) {
    function update() {
      const text = editor.getData().replace(/<[^>]*>/g, " ").replace(/&nbsp;|&#160;/g, " ");
      const words = (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) || []).length;
      const minutes = Math.max(1, Math.round(words / WORDS_PER_MINUTE));
      line.textContent =
        words + (words === 1 ? " word" : " words") + " · about " + minutes + " min read";
    }
    editor.model.document.on("change:data", update);
    update();
  }

  // For desk/picture_upload.js: an uploaded picture, once credited, is placed the same way.
  window.newsroomDesk.whenEditorReady = whenEditorReady;
  window.newsroomDesk.placePicture = place;

  whenEditorReady("id_body", function (editor) {
    const row = document.querySelector(".form-row.field-body");
    if (!row || !script) {
      return;
    }
    const tools = element("div", { class: "editor-view-tools" });
    const count = element("p", { class: "help editor-word-count", id: "body-word-count", "aria-live": "polite" });
    const open = element("button", { type: "button", class: "button", id: "library-picture-open" },
      "Insert a picture from the library");
    const panel = libraryPanel(editor);
    open.addEventListener("click", function () {
      panel.hidden = !panel.hidden;
      if (!panel.hidden) {
        panel.search();
        panel.querySelector("input").focus();
      }
    });
    [count, open, panel].forEach(function (node) {
      tools.appendChild(node);
    });
    const container = row.querySelector(".ck-editor-container") || row.lastElementChild;
    container.after(tools);
    wordCount(editor, count);
  });
})();
