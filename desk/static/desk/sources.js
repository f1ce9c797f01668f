/* The story form's "Sources and references" group (desk/story_sources.py).
 *
 * "Links in the text": lists the body's links to other sites that are not among the sources
 * yet; "Add to sources" beside one fills a new source row with it (title = the link's text,
 * address, publisher = the site's name), through the admin's own "Add another" so the row
 * is saved like one typed by hand. Reads the body from the editor (window.editors, as
 * editor_pictures.js does). Loaded as a file: the admin's CSP allows no inline script.
 */
(function () {
  "use strict";

  const PREFIX = "sources";

  // desk_dom.js's helper, looked up when first used: it may be loaded after this file.
  function element(tag, attrs, text) {
    return window.newsroomDesk.element(tag, attrs, text);
  }

  /* The same address however it is written: no fragment, no trailing slash, lower-case host. */
  function normal(href) {
    try {
      const url = new URL(href);
      url.hash = "";
      return (url.protocol + "//" + url.host.toLowerCase() + url.pathname).replace(/\/$/, "") +
        url.search;
    } catch (notAUrl) {
      return href.trim();
    }
  }

  function sourceAddresses(group) {
    const found = new Set();
    group.querySelectorAll("input[name^='" + PREFIX + "-'][name$='-url']").forEach(function (input) {
      if (input.name.indexOf("__prefix__") !== -1 || !input.value.trim()) {
        return;
      }
      const row = input.closest(".inline-related");
      const deleted = row && row.querySelector("input[name$='-DELETE']");
      if (!deleted || !deleted.checked) {
        found.add(normal(input.value));
      }
    });
    return found;
  }

  /* The body's links to other sites (http or https), in order, each address once. */
  function outsideLinks(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const seen = new Set();
    const links = [];
    doc.querySelectorAll("a[href]").forEach(function (link) {
      let url;
      try {
        url = new URL(link.getAttribute("href"), window.location.href);
      } catch (notAUrl) {
        return;
      }
      if (!/^https?:$/.test(url.protocol) || url.host === window.location.host) {
        return;
      }
      const key = normal(url.href);
      if (seen.has(key)) {
        return;
      }
      seen.add(key);
      const text = link.textContent.replace(/\s+/g, " ").trim();
      links.push({ url: url.href, key: key, title: text || url.href, host: url.hostname });
    });
    return links;
  }

  function publisherOf(host) {
    return host.replace(/^www\./, "");
  }

  function setValue(input, value) {
    if (!input) {
      return;
    }
    input.value = value;
    // The form's autosave and backup listen for typing: tell them, as typing would.
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  /* A new source row (the admin's "Add another"), filled with this link. */
  function addSource(group, link) {
    const total = document.getElementById("id_" + PREFIX + "-TOTAL_FORMS");
    const add = group.querySelector(".add-row a");
    if (!total || !add) {
      return false;
    }
    const index = Number(total.value);
    add.click();
    const field = function (name) {
      return document.getElementById("id_" + PREFIX + "-" + index + "-" + name);
    };
    if (!field("title")) {
      return false;
    }
    setValue(field("title"), link.title.slice(0, 300));
    setValue(field("url"), link.url);
    setValue(field("publisher"), publisherOf(link.host));
    return true;
  }

  function start(group, editor) {
    const tools = element("div", { class: "source-links", id: "source-links" });
    const find = element("button", { type: "button", class: "button", id: "source-links-find" },
      "Links in the text");
    const help = element("p", { class: "help" },
      "Lists the body's links to other sites that are not sources yet.");
    const list = element("ul", { class: "source-links-list", id: "source-links-list",
      "aria-live": "polite" });
    tools.append(find, help, list);
    group.insertBefore(tools, group.firstChild);

    function show() {
      list.replaceChildren();
      const known = sourceAddresses(group);
      const links = outsideLinks(editor.getData()).filter(function (link) {
        return !known.has(link.key);
      });
      if (!links.length) {
        list.append(element("li", { class: "help" }, "No link to another site that is not a source already."));
        return;
      }
      links.forEach(function (link) {
        const item = element("li", { class: "source-link" });
        const label = element("span", { class: "source-link-text" }, link.title + " — " + publisherOf(link.host));
        const button = element("button", { type: "button", class: "button source-link-add" },
          "Add to sources");
        button.setAttribute("aria-label", "Add “" + link.title + "” to the sources");
        button.addEventListener("click", function () {
          if (addSource(group, link)) {
            item.remove();
            if (!list.querySelector(".source-link")) {
              list.append(element("li", { class: "help" }, "Every link is a source now."));
            }
          }
        });
        item.append(label, button);
        list.append(item);
      });
    }
    find.addEventListener("click", show);
  }

  function whenReady() {
    const group = document.getElementById(PREFIX + "-group");
    if (!group) {
      return;
    }
    let tries = 0;
    const timer = setInterval(function () {
      const editor = window.editors && window.editors.id_body;
      if (editor || ++tries > 200) {
        clearInterval(timer);
        if (editor) {
          start(group, editor);
        }
      }
    }, 50);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", whenReady);
  } else {
    whenReady();
  }
})();
