// The story list's filters as a row of menus: closed on load, one open at a time, closed by
// a click elsewhere or Escape; a menu whose filter is in use is marked and names its choice.
(function () {
  "use strict";
  const bar = document.getElementById("changelist-filter");
  if (!bar) return;
  const menus = Array.from(bar.querySelectorAll("details"));
  menus.forEach(function (menu) {
    menu.open = false;
    const chosen = menu.querySelector("li.selected a");
    const all = menu.querySelector("li a");
    if (chosen && all && chosen !== all) {
      menu.classList.add("in-use");
      const summary = menu.querySelector("summary");
      summary.textContent = summary.textContent.trim() + ": " + chosen.textContent.trim();
    }
    menu.addEventListener("toggle", function () {
      if (menu.open) menus.forEach(function (other) { if (other !== menu) other.open = false; });
    });
  });
  document.addEventListener("click", function (event) {
    if (!bar.contains(event.target)) menus.forEach(function (menu) { menu.open = false; });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") menus.forEach(function (menu) { menu.open = false; });
  });
})();
