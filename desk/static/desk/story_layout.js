/* The story editor's layout (templates/admin/articles/article/change_form.html).
 *
 * Preview posts the form as it is now (unsaved changes included) to the preview view, in a
 * new tab. It is sent without a "submit" event: to the autosave (articles/story_form.js) a
 * submit means the page is being left, which a preview in another tab is not.
 * The search and social preview (articles/social_preview.js) goes inside its panel group.
 */
(function () {
  "use strict";

  const form = document.getElementById("article_form");
  const button = document.getElementById("story-preview");
  if (form && button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      const editors = window.editors || {};
      Object.keys(editors).forEach(function (id) {
        if (editors[id] && typeof editors[id].updateSourceElement === "function") {
          editors[id].updateSourceElement();
        }
      });
      const action = form.getAttribute("action");
      const target = form.getAttribute("target");
      form.setAttribute("action", button.getAttribute("formaction"));
      form.setAttribute("target", "_blank");
      HTMLFormElement.prototype.submit.call(form); // no "submit" event, no validation
      // The form's own buttons save here again.
      if (action === null) {
        form.removeAttribute("action");
      } else {
        form.setAttribute("action", action);
      }
      if (target === null) {
        form.removeAttribute("target");
      } else {
        form.setAttribute("target", target);
      }
    });
  }

  const social = document.getElementById("social-preview");
  const group = social && social.previousElementSibling;
  if (group && group.matches("fieldset.panel-group")) {
    group.querySelector("details").appendChild(social);
  }
})();
