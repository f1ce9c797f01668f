/* The lead picture picker (templates/desk/lead_picture.html): the library's pictures listed
 * with a thumbnail, caption and credit; choosing one sets the hidden input the form sends and
 * fires "change", so the social preview follows. Results come from the editor's library
 * search (articles/editor_views.py), newest first.
 */
(function () {
  "use strict";

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function describe(picture) {
    const words = element("p");
    words.appendChild(element("span", { class: "lead-picture-caption" }, picture.caption || "No caption"));
    words.appendChild(element("span", { class: "lead-picture-credit" }, picture.credit || "No credit"));
    return words;
  }

  function setUp(picker) {
    const input = picker.querySelector("input[type=hidden]");
    const chosen = picker.querySelector(".lead-picture-chosen");
    const choose = picker.querySelector(".lead-picture-choose");
    const remove = picker.querySelector(".lead-picture-remove");
    const library = picker.querySelector(".lead-picture-library");
    const query = picker.querySelector(".lead-picture-query");
    const status = picker.querySelector(".lead-picture-status");
    const results = picker.querySelector(".lead-picture-results");
    let asked = 0; // only the latest search's answer is shown
    let timer = null;
    let shown = input.value; // the picture drawn in .lead-picture-chosen

    function show(picture) {
      shown = picture ? String(picture.id) : "";
      chosen.replaceChildren();
      if (picture) {
        chosen.appendChild(element("img", { src: picture.thumb, alt: "", width: "80", height: "80" }));
        chosen.appendChild(describe(picture));
      } else {
        chosen.appendChild(element("p", { class: "lead-picture-none" }, "No lead picture."));
      }
      remove.hidden = !picture;
      choose.textContent = picture ? "Change picture" : "Choose a picture";
    }

    function pick(picture) {
      input.value = picture ? String(picture.id) : "";
      show(picture);
      input.dispatchEvent(new Event("change", { bubbles: true }));
      close();
      choose.focus();
    }

    function list(pictures) {
      results.replaceChildren();
      pictures.forEach(function (picture) {
        const button = element("button", { type: "button", class: "lead-picture-result" });
        button.appendChild(element("img", { src: picture.thumb, alt: "", width: "64", height: "64", loading: "lazy" }));
        button.appendChild(describe(picture));
        button.setAttribute("aria-pressed", String(input.value === String(picture.id)));
        button.addEventListener("click", function () {
          pick(picture);
        });
        const item = element("li");
        item.appendChild(button);
        results.appendChild(item);
      });
      status.textContent = pictures.length ? "" : "No picture in the library matches.";
    }

    function search() {
      const ask = ++asked;
      status.textContent = "Searching the library…";
      const url = picker.dataset.searchUrl + "?q=" + encodeURIComponent(query.value.trim());
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (data) {
          if (ask === asked) {
            list(data.results || []);
          }
        })
        .catch(function () {
          if (ask === asked) {
            status.textContent = "The library could not be searched: try again.";
          }
        });
    }

    function open() {
      library.hidden = false;
      choose.setAttribute("aria-expanded", "true");
      search();
      query.focus();
    }

    function close() {
      library.hidden = true;
      choose.setAttribute("aria-expanded", "false");
    }

    // Set from elsewhere ("Use theirs" after a conflict): draw the picture it names.
    input.addEventListener("change", function () {
      if (input.value === shown) {
        return;
      }
      if (!input.value) {
        show(null);
        return;
      }
      const url = picker.dataset.searchUrl + "?id=" + encodeURIComponent(input.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (data.results && data.results.length) {
            show(data.results[0]);
          }
        })
        .catch(function () {
          // The form still holds the id: saving keeps the picture chosen.
        });
    });

    choose.addEventListener("click", function () {
      if (library.hidden) {
        open();
      } else {
        close();
      }
    });
    remove.addEventListener("click", function () {
      pick(null);
    });
    query.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250); // one search per pause in typing
    });
    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter searches; it must not submit the story form
        window.clearTimeout(timer);
        search();
      } else if (event.key === "Escape") {
        close();
        choose.focus();
      }
    });
  }

  function start() {
    document.querySelectorAll(".lead-picture").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
