// After a refused save: "Use theirs" puts the other person's saved value into the form field,
// so saving again merges their change instead of reverting it.
(function () {
  "use strict";
  function useTheirs(button) {
    var name = button.dataset.field;
    var value = button.dataset.value;
    var editor = window.editors && window.editors["id_" + name];
    if (editor) {
      editor.setData(value);
    } else {
      var field = document.getElementById("id_" + name);
      if (!field) return;
      field.value = value;
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
    var row = button.closest("tr");
    if (row) row.classList.add("merged");
    button.replaceWith(document.createTextNode("Theirs, in the form"));
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.use-theirs");
    if (button) useTheirs(button);
  });
})();
