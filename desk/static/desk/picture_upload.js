/* A picture uploaded in the story editor is credited before it is placed.
 *
 * Every way CKEditor uploads a file (its picture button, a dropped or pasted file) runs its
 * `uploadImage` command: we take that over, so nothing enters the body until the writer has
 * given the picture's credit (required), caption and alt text in a dialog
 * (templates/admin/desk/picture_upload_dialog.html). Then the file goes to the library
 * (media:editor-upload, which refuses a picture without a credit) and is placed as a library
 * figure, as "Insert a picture from the library" does (articles/editor_pictures.js).
 * Cancelling places nothing and stores nothing. Pictures inside pasted HTML (data: URLs)
 * would bypass the dialog through CKEditor's upload adapter: that path is refused.
 */
(function () {
  "use strict";

  const script = document.getElementById("picture-upload-script");
  const template = document.getElementById("picture-upload-template");
  const desk = window.newsroomDesk;
  const SIGNED_OUT = "You are signed out. Sign in again in another tab, then place the picture: what you typed here is kept.";
  const PASTED = "A picture pasted inside other text is not placed: upload its file with the picture button, with its credit.";

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* Send the file with what the dialog holds; resolves with the library's answer. */
  function send(file, form) {
    const body = new FormData(form);
    body.append("upload", file, file.name || "picture");
    return fetch(script.dataset.uploadUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    }).then(function (response) {
      const json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
      if (!json) {
        // A login page (the session ended) or a CSRF refusal: not the library's answer.
        throw new Error(SIGNED_OUT);
      }
      return response.json().then(function (data) {
        if (!response.ok) {
          throw new Error((data.error && data.error.message) || "The picture could not be uploaded.");
        }
        return data;
      });
    }, function () {
      throw new Error("The picture could not be sent: check the connection and try again.");
    });
  }

  /* The dialog for one file: resolves with the picture to place, or null if cancelled. */
  function askForCredit(file) {
    return new Promise(function (resolve) {
      const dialog = template.content.firstElementChild.cloneNode(true);
      const form = dialog.querySelector("form");
      const credit = dialog.querySelector("#picture-credit");
      const error = dialog.querySelector(".picture-credit-error");
      const place = dialog.querySelector("button[type=submit]");
      dialog.querySelector(".picture-credit-file").textContent = file.name || "";
      const reader = new FileReader();
      reader.addEventListener("load", function () {
        dialog.querySelector(".picture-credit-thumb").src = reader.result; // a data: URL
      });
      reader.readAsDataURL(file);

      function finish(result) {
        dialog.close();
        dialog.remove();
        resolve(result);
      }
      credit.addEventListener("input", function () {
        // Spaces are not a credit (the server says so too).
        credit.setCustomValidity(credit.value.trim() ? "" : "Give the picture's credit.");
      });
      credit.dispatchEvent(new Event("input"));
      dialog.querySelector(".picture-credit-cancel").addEventListener("click", function () {
        finish(null);
      });
      dialog.addEventListener("cancel", function (event) {
        event.preventDefault(); // Escape: the same as Cancel, and the dialog goes
        finish(null);
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault(); // not a "dialog" close: the dialog stays until the server agrees
        error.hidden = true;
        place.disabled = true;
        const typed = { caption: form.caption.value.trim(), alt: form.alt_text.value.trim() };
        send(file, form)
          .then(function (data) {
            finish({
              id: data.id,
              src: data.url,
              credit: data.credit,
              caption: typed.caption || data.caption,
              alt: typed.alt || data.alt,
            });
          })
          .catch(function (failure) {
            error.textContent = failure.message;
            error.hidden = false;
            place.disabled = false;
          });
      });
      document.body.appendChild(dialog);
      dialog.showModal();
      credit.focus();
    });
  }

  /* One dialog after another for several files; each placed where the writer was. */
  function uploadInTurn(editor, files) {
    return files.reduce(function (previous, file) {
      return previous.then(function () {
        return askForCredit(file).then(function (picture) {
          if (picture) {
            desk.placePicture(editor, picture);
          }
        });
      });
    }, Promise.resolve());
  }

  function takeOverUploads(editor) {
    const command = editor.commands.get("uploadImage");
    if (!command) {
      return;
    }
    command.on(
      "execute",
      function (event, args) {
        event.stop(); // CKEditor would place the file at once, uncredited
        const files = [].concat((args[0] && args[0].file) || []);
        uploadInTurn(editor, files);
      },
      { priority: "high" }
    );
    editor.plugins.get("FileRepository").createUploadAdapter = function () {
      return {
        upload: function () {
          return Promise.reject(PASTED);
        },
        abort: function () {},
      };
    };
    const notice = desk.element("p", { class: "picture-upload-notice", role: "alert" });
    notice.hidden = true;
    function announce(message) {
      notice.textContent = message;
      notice.hidden = false;
    }
    // Pictures inside pasted HTML would be fetched and uploaded uncredited: take them out
    // before CKEditor reads the HTML, and say so.
    editor.editing.view.document.on(
      "clipboardInput",
      function (event, data) {
        const html = data.dataTransfer.getData("text/html");
        if (data.content || !html || !/<img/i.test(html)) {
          return;
        }
        const parsed = new DOMParser().parseFromString(html, "text/html");
        const local = Array.from(parsed.querySelectorAll("img")).filter(function (img) {
          return /^\s*(data|blob):/i.test(img.getAttribute("src") || "");
        });
        if (local.length) {
          local.forEach(function (img) {
            img.remove();
          });
          data.content = editor.data.htmlProcessor.toView(parsed.body.innerHTML);
          announce(PASTED);
        }
      },
      { priority: "high" }
    );
    // CKEditor says an upload failed with window.alert: say it beside the editor instead.
    editor.plugins.get("Notification").on(
      "show:warning",
      function (event, data) {
        if (data.namespace === "upload") {
          event.stop();
          announce(String(data.message));
        }
      },
      { priority: "high" }
    );
    const container = editor.ui.view.element;
    container.after(notice);
  }

  if (script && template && desk && desk.whenEditorReady) {
    desk.whenEditorReady("id_body", takeOverUploads);
  }
})();
