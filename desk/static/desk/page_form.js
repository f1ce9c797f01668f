/* The page form: nothing typed is lost, as on the story form, with the stories' own pieces.
 *
 * What is typed is kept in this browser (desk/static/desk/backup.js) a second after typing
 * stops, until Save sends it; reopening the form after a closed tab or a crash offers it back.
 * A session that ends is noticed (desk/static/desk/session.js): the page asks to sign in again
 * in place, and Save checks the session first, so it never lands on the login page with the
 * text lost. Leaving with changes not saved asks first. Pages have no server working copy:
 * the browser's copy is the one. Loaded as a file: the admin's CSP allows no inline script.
 */
(function () {
  "use strict";

  function start() {
    const form = document.getElementById("page_form");
    const desk = document.getElementById("page-desk");
    if (!form || !desk) {
      return;
    }
    const status = document.getElementById("page-desk-status");
    const sessionEvery = 1000 * (Number(desk.dataset.sessionSeconds) || 60);
    // session.js and backup.js are loaded after this file: looked up when needed.
    function tools() {
      return window.newsroomDesk || {};
    }
    const tab = (function () {
      try {
        let id = window.sessionStorage.getItem("newsroom-desk-tab");
        if (!id) {
          id = Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
          window.sessionStorage.setItem("newsroom-desk-tab", id);
        }
        return id;
      } catch (blocked) {
        return Date.now().toString(36);
      }
    })();
    document.querySelectorAll("input[name=_desk_tab]").forEach(function (input) {
      input.value = tab;
    });
    const autosaveUrl = desk.dataset.autosaveUrl; // none for a page not saved yet
    const autosaveEvery = 1000 * (Number(desk.dataset.autosaveSeconds) || 15);
    let submitting = false;
    let checked = false; // the session was checked for the submit under way
    let signedOut = false;
    let backupTimer = null;

    function collect() {
      const editors = window.editors || {};
      Object.keys(editors).forEach(function (id) {
        if (editors[id] && typeof editors[id].updateSourceElement === "function") {
          editors[id].updateSourceElement();
        }
      });
      const data = new FormData();
      new FormData(form).forEach(function (value, name) {
        if (typeof value === "string") {
          data.append(name, value);
        }
      });
      return data;
    }

    function fingerprint(data) {
      const parts = [];
      data.forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken" && name !== "_desk_tab") {
          parts.push(name + "=" + value);
        }
      });
      return parts.join("&");
    }

    let backupStore = null;
    function backups() {
      backupStore = backupStore || tools().backups(desk.dataset.user, desk.dataset.backupKey);
      return backupStore;
    }

    function show(text, isFailure) {
      status.textContent = text;
      status.classList.toggle("desk-status-failed", Boolean(isFailure));
    }

    let saved = null; // the form as the server has it (as loaded)
    function changed() {
      return saved !== null && fingerprint(collect()) !== saved;
    }

    function keepBackup() {
      if (saved === null) {
        return;
      }
      const data = collect();
      if (fingerprint(data) !== saved) {
        backups().keep(tab, data);
        show(
          signedOut
            ? "Not saved: you are signed out. What you type is kept in this browser until you sign in again."
            : "Changes not saved yet: kept in this browser until you save.",
          signedOut
        );
      }
    }

    /* Put a backup's fields back in the form, the body into its editor. */
    function fill(data) {
      const editors = window.editors || {};
      data.forEach(function (value, name) {
        if (name === "csrfmiddlewaretoken" || name === "_desk_tab") {
          return;
        }
        const field = form.elements.namedItem(name);
        if (!field || field instanceof RadioNodeList) {
          return;
        }
        if (field.type === "checkbox") {
          field.checked = Boolean(value);
        } else if (editors[field.id] && typeof editors[field.id].setData === "function") {
          editors[field.id].setData(value);
        } else {
          field.value = value;
        }
      });
    }

    /* Backups this form left in this browser (a closed tab, a crash, a lost session): offer
     * the newest back; what equals the form already is dropped without asking. */
    function serverCopies() {
      const script = document.getElementById("page-desk-copies");
      if (!script) {
        return [];
      }
      return JSON.parse(script.textContent).map(function (copy) {
        const data = new FormData();
        copy.fields.forEach(function (field) {
          data.append(field[0], field[1]);
        });
        return { tab: copy.tab, data: data, server: true };
      });
    }

    function discardServerCopy(copy) {
      if (!copy.server || !desk.dataset.discardUrl) {
        return;
      }
      const data = new FormData();
      data.append("copy_tab", copy.tab);
      send(desk.dataset.discardUrl, data).catch(function () {
        // Still offered next time: nothing is lost by a copy kept too long.
      });
    }

    function offerLeftBackups() {
      const left = serverCopies()
        .reverse()
        .concat(tools().backups ? backups().left() : [])
        .filter(function (backup) {
          if (backup.server) {
            return fingerprint(backup.data) !== saved;
          }
          if (fingerprint(backup.data) === saved) {
            backups().drop(backup.tab);
            return false;
          }
          return true;
        });
      if (left.length === 0) {
        return;
      }
      const newest = left[left.length - 1];
      const offer = document.createElement("section");
      offer.id = "page-desk-offer";
      offer.className = "module desk-offer";
      offer.setAttribute("role", "status");
      const title = document.createElement("h2");
      title.textContent = "This browser kept changes to this page that were never saved";
      const restore = document.createElement("button");
      restore.type = "button";
      restore.className = "button default";
      restore.id = "page-desk-restore";
      restore.textContent = "Restore your unsaved changes";
      const discard = document.createElement("button");
      discard.type = "button";
      discard.className = "button";
      discard.id = "page-desk-discard";
      discard.textContent = "Discard";
      offer.append(title, restore, " ", discard);
      desk.prepend(offer);
      restore.addEventListener("click", function () {
        fill(newest.data);
        backups().drop(newest.tab);
        discardServerCopy(newest);
        offer.remove();
        keepBackup(); // now this tab's, until saved
        show("Your unsaved changes are back in the form: save to keep them.", false);
      });
      discard.addEventListener("click", function () {
        left.forEach(function (backup) {
          backups().drop(backup.tab);
          discardServerCopy(backup);
        });
        offer.remove();
      });
    }

    function signInThen(then) {
      signedOut = true;
      keepBackup();
      show("Not saved: you are signed out. What you type is kept in this browser until you sign in again.", true);
      tools()
        .signIn()
        .then(function () {
          signedOut = false;
          show(changed() ? "Signed in again: save to keep what you typed." : "Signed in again", false);
          if (then) {
            then();
          }
        });
    }

    let lastTyped = 0; // when a key was last pressed on the page
    document.addEventListener("keydown", function () {
      lastTyped = Date.now();
    }, true);

    /* Every so often, whether the session still stands (or stands again, from another tab).
     * The dialog waits for a pause in the typing: opened mid-word, it would take the rest of
     * the sentence into its password box. */
    function watchSession() {
      if (!tools().checkSession || submitting) {
        return;
      }
      if (Date.now() - lastTyped < 1500) {
        window.setTimeout(watchSession, 500);
        return;
      }
      tools()
        .checkSession()
        .then(function (state) {
          if (state === "signed-out" && !tools().signInWaiting()) {
            signInThen(null);
          } else if (state === "signed-in" && signedOut) {
            signedOut = false;
            show("Signed in again: save to keep what you typed.", false);
          }
        })
        .catch(function () {
          // Offline: the backup keeps the text; Save says so if it cannot reach the server.
        });
    }

    function csrfToken() {
      const input = form.querySelector("input[name=csrfmiddlewaretoken]");
      return input ? input.value : "";
    }

    /* POST to the desk; rejects with "signed-out" (the login page, or a 403 that is not the
     * desk's own answer: a stale CSRF token) or "failed". */
    function send(url, data) {
      return fetch(url, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
        credentials: "same-origin",
      }).then(function (response) {
        const json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
        if (response.redirected || (response.status === 403 && !json)) {
          throw new Error("signed-out");
        }
        if (!response.ok) {
          throw new Error("failed");
        }
        return response.json();
      });
    }

    /* The form to this tab's working copy on the server when it changed; the browser's copy
     * is dropped once the server has what it holds. */
    let sent = null;
    let sending = false;
    function autosave() {
      if (sending || submitting || signedOut || saved === null) {
        return;
      }
      const data = collect();
      const current = fingerprint(data);
      if (current === sent) {
        return;
      }
      sending = true;
      send(autosaveUrl, data)
        .then(function () {
          sent = current;
          if (fingerprint(collect()) === current) {
            backups().drop(tab);
          }
          show("Saved to your working copy (save the page to publish your changes).", false);
        })
        .catch(function (error) {
          keepBackup();
          if (error.message === "signed-out") {
            watchSession();
          } else {
            show("Not saved to your working copy: connection lost. Kept in this browser.", true);
          }
        })
        .finally(function () {
          sending = false;
        });
    }

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
      saved = fingerprint(collect());
      sent = saved;
      offerLeftBackups();
      if (autosaveUrl) {
        window.setInterval(autosave, autosaveEvery);
      }
      form.dataset.ready = "true"; // for tests: changes from here on are the person's
      window.setInterval(watchSession, sessionEvery);
    }
    whenEditorsReady(50);

    form.addEventListener("input", function () {
      window.clearTimeout(backupTimer);
      backupTimer = window.setTimeout(keepBackup, 1000);
    });
    // The body's editor changes its textarea without input events: watched for typing too.
    form.addEventListener("keyup", function () {
      window.clearTimeout(backupTimer);
      backupTimer = window.setTimeout(keepBackup, 1000);
    });

    /* Save (and every step) checks the session first: signed out, it asks to sign in and
     * then sends the form; signed in elsewhere, the token is renewed. */
    form.addEventListener("submit", function (event) {
      if (checked || !tools().checkSession) {
        submitting = true;
        window.clearTimeout(backupTimer);
        if (tools().backups) {
          // The server has the form now; what it says (saved, or the form with its errors)
          // is the next page. Kept, the backup would be offered as unsaved.
          backups().drop(tab);
        }
        return;
      }
      event.preventDefault();
      const submitter = event.submitter;
      function submitNow() {
        checked = true;
        form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
      }
      tools()
        .checkSession()
        .then(function (state) {
          if (state === "signed-in") {
            submitNow();
          } else {
            signInThen(submitNow);
          }
        })
        .catch(function () {
          show("Not saved: no connection. Your text is still here; try again in a moment.", true);
        });
    });
    window.addEventListener("pageshow", function () {
      submitting = false; // back from the bfcache after a submit
      checked = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!submitting && changed()) {
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
