/* The story form's desk (templates/admin/articles/article/includes/desk.html).
 *
 * Nothing an editor types is lost: the whole form is sent to the server as a private working
 * copy whenever it changed (every few seconds, and when the page loses focus), the status line
 * says whether that worked, and leaving with changes not yet stored asks first. An open change
 * form also sends a heartbeat, so others opening the story see who is already editing it.
 * Loaded as a file, configured by data-* attributes: the admin's CSP allows no inline script.
 */
(function () {
  "use strict";

  const desk = document.getElementById("story-desk");
  const form = document.getElementById("article_form");
  if (!desk || !form) {
    return;
  }
  const status = document.getElementById("desk-status");
  const presence = document.getElementById("desk-presence");
  const autosaveEvery = 1000 * (Number(desk.dataset.autosaveSeconds) || 15);
  const heartbeatEvery = 1000 * (Number(desk.dataset.heartbeatSeconds) || 20);
  const maxBackoff = Math.max(autosaveEvery, 120 * 1000);

  let stored = null; // the form as it was last stored in the working copy (or as loaded)
  let savedAt = null; // when the working copy last took it (this page's clock)
  let failures = 0;
  let sending = false;
  let submitting = false;
  let timer = null;

  function csrfToken() {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* The form as the Save button would send it, with the rich-text editors' latest text. */
  function collect() {
    const editors = window.editors || {};
    Object.keys(editors).forEach(function (id) {
      if (editors[id] && typeof editors[id].updateSourceElement === "function") {
        editors[id].updateSourceElement();
      }
    });
    const data = new FormData(form);
    const text = new FormData();
    data.forEach(function (value, name) {
      if (typeof value === "string") {
        text.append(name, value);
      }
    });
    return text;
  }

  function fingerprint(data) {
    const params = new URLSearchParams();
    data.forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") {
        params.append(name, value);
      }
    });
    return params.toString();
  }

  function hasUnstoredChanges() {
    return stored !== null && fingerprint(collect()) !== stored;
  }

  function show(text, failed) {
    status.textContent = text;
    status.classList.toggle("desk-status-failed", Boolean(failed));
  }

  function showSaved() {
    if (savedAt === null) {
      return;
    }
    const seconds = Math.round((Date.now() - savedAt) / 1000);
    const ago = seconds < 60 ? seconds + " s" : Math.floor(seconds / 60) + " min";
    show("Saved to your working copy " + ago + " ago", false);
  }

  function signedOut(response) {
    if (response.status === 401 || response.status === 403) {
      return true;
    }
    return response.redirected && new URL(response.url).pathname === desk.dataset.loginPath;
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(autosave, delay);
  }

  /* Send the form if it changed since it was last stored; on failure, retry with backoff. */
  function autosave(options) {
    const leaving = Boolean(options && options.leaving);
    if (stored === null || sending || submitting) {
      schedule(autosaveEvery);
      return;
    }
    const data = collect();
    const current = fingerprint(data);
    if (current === stored) {
      schedule(autosaveEvery);
      return;
    }
    sending = true;
    fetch(desk.dataset.autosaveUrl, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      credentials: "same-origin",
      keepalive: leaving,
    })
      .then(function (response) {
        if (signedOut(response)) {
          throw new Error("signed-out");
        }
        if (!response.ok || response.redirected) {
          throw new Error("failed");
        }
        return response.json();
      })
      .then(function () {
        stored = current;
        savedAt = Date.now();
        failures = 0;
        showSaved();
        schedule(autosaveEvery);
      })
      .catch(function (error) {
        failures += 1;
        if (error.message === "signed-out") {
          show("Not saved: you are signed out — sign in again in another tab", true);
        } else {
          show("Not saved: connection lost — retrying", true);
        }
        schedule(Math.min(autosaveEvery * Math.pow(2, failures), maxBackoff));
      })
      .finally(function () {
        sending = false;
      });
  }

  /* Start once the rich-text editors are up, so their own tidying is not taken for typing. */
  function whenEditorsReady(callback) {
    const started = Date.now();
    (function check() {
      const editors = window.editors || {};
      const pending = Array.from(form.querySelectorAll("textarea.django_ckeditor_5")).filter(
        function (area) {
          return area.id.indexOf("__prefix__") === -1 && !editors[area.id];
        }
      );
      if (pending.length === 0 || Date.now() - started > 10000) {
        callback();
      } else {
        window.setTimeout(check, 100);
      }
    })();
  }

  whenEditorsReady(function () {
    stored = fingerprint(collect());
    desk.dataset.ready = "true"; // for tests: changes from here on are the editor's
    schedule(autosaveEvery);
  });
  window.setInterval(showSaved, 5000);

  form.addEventListener("submit", function () {
    submitting = true;
  });
  window.addEventListener("pageshow", function () {
    submitting = false; // back from the bfcache after a submit
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      autosave({ leaving: true });
    }
  });
  window.addEventListener("blur", function () {
    autosave();
  });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && hasUnstoredChanges()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // --- Presence: who else has this story open ------------------------------------------------

  const presenceUrl = desk.dataset.presenceUrl;
  if (!presenceUrl || !presence) {
    return;
  }

  function showOthers(others) {
    const list = document.createElement("ul");
    others.forEach(function (editing) {
      const item = document.createElement("li");
      item.textContent = editing.name + " is editing this story (since " + editing.since + ")";
      list.appendChild(item);
    });
    presence.replaceChildren(list);
    presence.hidden = others.length === 0;
  }

  function heartbeat() {
    const data = new FormData();
    data.append("action", "heartbeat");
    fetch(presenceUrl, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok || response.redirected) {
          throw new Error("failed");
        }
        return response.json();
      })
      .then(function (answer) {
        showOthers(answer.others || []);
      })
      .catch(function () {
        // Presence is a courtesy: the autosave status already reports a lost connection.
      });
  }

  heartbeat();
  window.setInterval(heartbeat, heartbeatEvery);
  window.addEventListener("pagehide", function () {
    const data = new FormData();
    data.append("action", "leave");
    data.append("csrfmiddlewaretoken", csrfToken());
    navigator.sendBeacon(presenceUrl, data);
  });
})();
