/* The story form's desk (templates/admin/articles/article/includes/desk.html).
 *
 * Nothing an editor types is lost: the whole form is sent to the server as a private working
 * copy of this tab whenever it changed (every few seconds, and when the page loses focus),
 * kept in the browser too until the server has it, and the sticky bar says whether that
 * worked. A session that ends is noticed: the page asks to sign in again in place
 * (desk/static/desk/session.js), renews its CSRF token and saves what was typed; Save checks
 * the session first, so it never lands on the login page. Leaving with changes not yet stored
 * asks first. An open form also sends a heartbeat, so others (and this person's other tabs)
 * see who has the story open. Loaded as a file: the admin's CSP allows no inline script.
 */
(function () {
  "use strict";

  const desk = document.getElementById("story-desk");
  const form = document.getElementById("article_form");
  if (!desk || !form) {
    return;
  }
  const status = document.getElementById("desk-status");
  const signInButton = document.getElementById("desk-signin-open");
  const presence = document.getElementById("desk-presence");
  const autosaveEvery = 1000 * (Number(desk.dataset.autosaveSeconds) || 15);
  const heartbeatEvery = 1000 * (Number(desk.dataset.heartbeatSeconds) || 20);
  const maxBackoff = Math.max(autosaveEvery, 120 * 1000);
  // desk/static/desk/session.js and backup.js, loaded after this file: looked up when needed.
  function session() {
    return window.newsroomDesk || {};
  }

  /* This tab's name, kept by the tab (a reload keeps it, another tab has its own). */
  const tab = (function () {
    let id = null;
    try {
      id = window.sessionStorage.getItem("newsroom-desk-tab");
      if (!id) {
        id = window.crypto.randomUUID
          ? window.crypto.randomUUID()
          : Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
        window.sessionStorage.setItem("newsroom-desk-tab", id);
      }
    } catch (blocked) {
      id = Date.now().toString(36); // storage refused: one name for this page's life
    }
    return id;
  })();
  document.querySelectorAll("input[name=_desk_tab]").forEach(function (input) {
    input.value = tab;
  });

  let stored = null; // the form as it was last stored in the working copy (or as loaded)
  let savedAt = null; // when the working copy last took it (this page's clock)
  let failed = false; // the last attempt to store failed: never say "saved" then
  let signedOut = false;
  let failures = 0;
  let sending = false;
  let submitting = false;
  let checked = false; // the session was checked for the submit under way
  let checking = false; // a session check for a submit is under way
  let timer = null;
  let backupTimer = null; // the backup a second after typing stops
  let lastTyped = 0; // when a key was last pressed on the page
  let typing = false; // changed since the last store (as far as the input events tell)
  document.addEventListener("keydown", function () {
    lastTyped = Date.now();
  }, true);

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

  // --- The browser's backup (desk/static/desk/backup.js, loaded after this file) -----------

  let backupStore = null;
  function backups() {
    backupStore = backupStore || session().backups(desk.dataset.user, desk.dataset.autosaveUrl);
    return backupStore;
  }

  function keepBackup(data) {
    backups().keep(tab, data);
  }

  function dropBackup() {
    backups().drop(tab);
  }

  /* Backups a tab of this story left that the server never got (signed out, offline, closed):
   * send each as its tab's working copy; true if any was sent, so the offer can list them. */
  function sendLeftBackups() {
    return Promise.all(
      backups()
        .left()
        .map(function (backup) {
          return post(desk.dataset.autosaveUrl, backup.data).then(
            function () {
              backups().drop(backup.tab);
              return true;
            },
            function () {
              return false; // kept for next time
            }
          );
        })
    ).then(function (sent) {
      return sent.indexOf(true) !== -1;
    });
  }

  // --- The status in the sticky bar ---------------------------------------------------------

  function show(text, isFailure) {
    status.textContent = text;
    status.classList.toggle("desk-status-failed", Boolean(isFailure));
    if (signInButton) {
      signInButton.hidden = !signedOut;
    }
  }

  function showSaved() {
    desk.dataset.ticks = String(Number(desk.dataset.ticks || 0) + 1); // tests wait for a tick
    if (savedAt === null || failed) {
      return;
    }
    const seconds = Math.round((Date.now() - savedAt) / 1000);
    const ago = seconds < 60 ? seconds + " s" : Math.floor(seconds / 60) + " min";
    show("Saved to your working copy " + ago + " ago" + (typing ? "; newer changes in a moment" : ""), false);
  }

  function showSignedOut() {
    show("Not saved: you are signed out. What you type is kept in this browser until you sign in again.", true);
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(autosave, delay);
  }

  /* POST to the desk; rejects with "signed-out" (login page, or a 403 that is not the desk's
   * own refusal: a stale CSRF token) or with the desk's own message. */
  function post(url, data, leaving) {
    return fetch(url, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      credentials: "same-origin",
      keepalive: Boolean(leaving),
    }).then(function (response) {
      const login = response.redirected && new URL(response.url).pathname === desk.dataset.loginPath;
      if (login || response.status === 401) {
        throw new Error("signed-out");
      }
      const json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
      if (response.status === 403 && !json) {
        throw new Error("signed-out");
      }
      if (!response.ok || response.redirected) {
        return (json ? response.json() : Promise.resolve({})).then(function (answer) {
          throw new Error(answer.error ? "Not saved: " + answer.error : "failed");
        });
      }
      return response.json();
    });
  }

  /* Signed out: keep everything here, ask to sign in, and check every so often whether the
   * person signed in again elsewhere (then the token is renewed and saving resumes). */
  function whileSignedOut() {
    signedOut = true;
    showSignedOut();
    askToSignIn();
  }

  /* The dialog waits for a pause in the typing: opened mid-word, it would take the rest of
   * the sentence into its password box. */
  let askLater = null;
  function askToSignIn() {
    window.clearTimeout(askLater);
    if (Date.now() - lastTyped < 1500) {
      askLater = window.setTimeout(askToSignIn, 500);
      return;
    }
    if (signedOut && session().signIn && !session().signInWaiting()) {
      session().signIn().then(function () {
        signedOut = false;
        failures = 0;
        show(hasUnstoredChanges() ? "Signed in again: saving what you typed…" : "Signed in again", false);
        autosave();
      });
    }
  }

  function checkBackIn() {
    if (!session().checkSession) {
      return Promise.resolve("signed-out");
    }
    return session().checkSession().catch(function () {
      return "offline";
    });
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
    if (current !== stored) {
      keepBackup(data);
    }
    if (signedOut) {
      // Checked even with nothing new typed: signing in elsewhere closes the dialog here.
      showSignedOut();
      checkBackIn().then(function (state) {
        if (state === "signed-in") {
          signedOut = false;
          show(hasUnstoredChanges() ? "Signed in again: saving what you typed…" : "Signed in again", false);
          autosave();
        } else {
          schedule(autosaveEvery);
        }
      });
      return;
    }
    if (current === stored) {
      schedule(autosaveEvery);
      return;
    }
    sending = true;
    post(desk.dataset.autosaveUrl, data, leaving)
      .then(function () {
        stored = current;
        savedAt = Date.now();
        failed = false;
        failures = 0;
        if (fingerprint(collect()) === current) {
          dropBackup();
          typing = false;
        }
        showSaved();
        schedule(autosaveEvery);
      })
      .catch(function (error) {
        failed = true;
        failures += 1;
        if (error.message === "signed-out") {
          // A stale token after signing in elsewhere looks the same: ask which it is.
          checkBackIn().then(function (state) {
            if (state === "signed-in" && failures < 3) {
              schedule(0);
            } else {
              whileSignedOut();
              schedule(autosaveEvery);
            }
          });
          return;
        }
        show(error.message.indexOf("Not saved") === 0 ? error.message : "Not saved: connection lost — retrying", true);
        schedule(Math.min(autosaveEvery * Math.pow(2, failures), maxBackoff));
      })
      .finally(function () {
        sending = false;
      });
  }

  /* Words only this browser had were just saved as working copies: say so, with the way to
   * review them (not a reload, which would pull the page from under the person). */
  function recovered() {
    const note = document.createElement("p");
    note.className = "desk-recovered";
    note.id = "desk-recovered";
    note.setAttribute("role", "status");
    note.textContent = "This browser kept changes that had not reached the server (typed while " +
      "signed out or offline). They are now in your working copies. ";
    const link = document.createElement("a");
    link.href = window.location.pathname;
    link.textContent = "Review them";
    note.appendChild(link);
    desk.prepend(note);
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
    sendLeftBackups()
      .catch(function () {
        return false;
      })
      .then(function (sent) {
        if (sent && !document.getElementById("desk-offer")) {
          recovered(); // the offer lists them once the page is opened again
        }
        if (!status.textContent) {
          show(hasUnstoredChanges() ? "Changes not saved yet" : "No unsaved changes", false);
        }
        desk.dataset.ready = "true"; // for tests: changes from here on are the editor's
        schedule(autosaveEvery);
      });
  });
  window.setInterval(showSaved, 5000);

  /* Save (and every "Save and …") checks the session first: signed out, it asks to sign in
   * and then saves; signed in elsewhere, it renews the token. The page is never left unsaved. */
  form.addEventListener("submit", function (event) {
    if (checked || !session().checkSession) {
      submitting = true;
      // The server has the form now; what it says about it (saved, or the form again with
      // its errors) is the next page. Kept, the backup would be offered as unsaved.
      window.clearTimeout(backupTimer);
      dropBackup();
      return;
    }
    event.preventDefault();
    if (checking) {
      return; // a second click while the first is being checked: one save, not two
    }
    checking = true;
    const submitter = event.submitter;
    function submitNow() {
      checked = true;
      checking = false;
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    }
    checkBackIn().then(function (state) {
      if (state === "signed-in") {
        submitNow();
      } else if (state === "offline") {
        checking = false;
        show("Not saved: no connection. Your text is still here; try again in a moment.", true);
      } else {
        whileSignedOut();
        checking = false; // the sign-in dialog is in front of the form now
        session()
          .signIn()
          .then(function () {
            signedOut = false;
            submitNow();
          });
      }
    });
  });
  window.addEventListener("pageshow", function () {
    submitting = false; // back from the bfcache after a submit
    checked = false;
    checking = false;
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
  // Typing is kept in the browser a second after it stops, not only at the next autosave:
  // a crash or a closed laptop between two autosaves then loses nothing either.
  form.addEventListener("input", function () {
    window.clearTimeout(backupTimer);
    backupTimer = window.setTimeout(function () {
      if (stored !== null) {
        const data = collect();
        if (fingerprint(data) !== stored) {
          keepBackup(data);
          typing = true;
          if (!failed && !signedOut && !sending && savedAt === null) {
            show("Changes not saved yet: they go to your working copy in a moment", false);
          }
        }
      }
    }, 1000);
  });
  if (signInButton) {
    signInButton.addEventListener("click", function () {
      lastTyped = 0;
      whileSignedOut();
    });
  }
  // The bar's Save and next step press the form's own buttons (one of each name on the page).
  document.querySelectorAll("#desk-bar [data-press]").forEach(function (button) {
    button.addEventListener("click", function () {
      const target = document.querySelector(button.dataset.press);
      if (target) {
        target.click();
      }
    });
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
      item.textContent = editing.notice;
      list.appendChild(item);
    });
    presence.replaceChildren(list);
    presence.hidden = others.length === 0;
  }

  function heartbeat() {
    if (signedOut) {
      return; // its token may be stale: autosave checks the session and renews it first
    }
    const data = new FormData();
    data.append("action", "heartbeat");
    data.append("_desk_tab", tab);
    fetch(presenceUrl, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.redirected && new URL(response.url).pathname === desk.dataset.loginPath) {
          whileSignedOut(); // noticed here first: the same as autosave finding it
        }
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
    data.append("_desk_tab", tab);
    data.append("csrfmiddlewaretoken", csrfToken());
    navigator.sendBeacon(presenceUrl, data);
  });
})();
