/* The page form asks before leaving with changes not saved: a closed tab or a click away
 * must not lose what was typed. What counts as the form is what Save would send, with the
 * rich-text editor's latest text; the baseline is taken once the editor is up. */
(function () {
  "use strict";

  function start() {
    const form = document.getElementById("page_form");
    if (!form) {
      return;
    }
    let submitting = false;

    function fingerprint() {
      const editors = window.editors || {};
      Object.keys(editors).forEach(function (id) {
        if (editors[id] && typeof editors[id].updateSourceElement === "function") {
          editors[id].updateSourceElement();
        }
      });
      const parts = [];
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken" && typeof value === "string") {
          parts.push(name + "=" + value);
        }
      });
      return parts.join("&");
    }

    let saved = null;
    function whenEditorsReady(tries) {
      const areas = form.querySelectorAll("textarea.django_ckeditor_5");
      const editors = window.editors || {};
      const waiting = Array.from(areas).some(function (area) {
        return !editors[area.id];
      });
      if (waiting && tries > 0) {
        window.setTimeout(function () {
          whenEditorsReady(tries - 1);
        }, 100);
        return;
      }
      saved = fingerprint();
      form.dataset.ready = "true"; // for tests: changes from here on are the person's
    }
    whenEditorsReady(50);

    form.addEventListener("submit", function () {
      submitting = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!submitting && saved !== null && fingerprint() !== saved) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
