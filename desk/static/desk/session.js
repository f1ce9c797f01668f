/* Signing in again in place (templates/desk/includes/sign_in_dialog.html).
 *
 * When a page finds its session gone, it asks here: `check()` says whether the browser is
 * signed in again (perhaps in another tab) and renews every CSRF token on the page, since
 * signing in rotates it; `signIn()` opens the dialog and resolves once the same person has
 * signed in again. The page is never left, so nothing typed in it is lost.
 */
(function () {
  "use strict";
  const desk = (window.newsroomDesk = window.newsroomDesk || {});
  const dialog = document.getElementById("desk-signin");
  if (!dialog) {
    return;
  }
  const form = dialog.querySelector("form");
  const error = document.getElementById("desk-signin-error");
  const me = form.querySelector("input[name=user]").value;
  let waiting = []; // callers of signIn() to tell once signed in

  /* Every form on the page (and autosave, which reads the story form's) gets the new token. */
  function renew(token) {
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      input.value = token;
    });
  }

  function signedInAgain(state) {
    renew(state.csrf_token);
    if (dialog.open) {
      dialog.close();
    }
    const callers = waiting;
    waiting = [];
    callers.forEach(function (resolve) {
      resolve(state);
    });
  }

  /* "signed-in" (token renewed), "signed-out", or "other" (someone else signed in here). */
  desk.checkSession = function () {
    return fetch(dialog.dataset.sessionUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("failed");
        }
        return response.json();
      })
      .then(function (state) {
        if (!state.signed_in) {
          renew(state.csrf_token); // the dialog's own POST needs a token that matches
          return "signed-out";
        }
        if (String(state.user) !== me) {
          return "other";
        }
        signedInAgain(state);
        return "signed-in";
      });
  };

  desk.signIn = function () {
    return new Promise(function (resolve) {
      waiting.push(resolve);
      if (!dialog.open) {
        error.hidden = true;
        dialog.showModal();
        form.querySelector("input[name=password]").focus();
      }
    });
  };

  desk.signInWaiting = function () {
    return waiting.length > 0;
  };

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const data = new FormData(form);
    desk
      .checkSession()
      .then(function (state) {
        if (state === "signed-in") {
          return null; // signed in meanwhile, in another tab
        }
        const token = document.querySelector("input[name=csrfmiddlewaretoken]");
        return fetch(dialog.dataset.signInUrl, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
        }).then(function (response) {
          return response
            .json()
            .catch(function () {
              return { error: "Signing in did not work. Wait a few minutes and try again." };
            })
            .then(function (answer) {
              if (!response.ok || answer.error) {
                throw new Error(answer.error || "Signing in did not work.");
              }
              signedInAgain(answer);
            });
        });
      })
      .catch(function (failure) {
        error.textContent =
          failure.message === "failed" ? "No connection: try again in a moment." : failure.message;
        error.hidden = false;
      })
      .finally(function () {
        form.querySelector("input[name=password]").value = "";
      });
  });

  document.getElementById("desk-signin-later").addEventListener("click", function () {
    dialog.close();
  });
})();
