// The audience page's "Readers now" panel: asks the server every 10 seconds who is reading
// (desk/audience_views.py live) and redraws the count and the list without reloading.
// Nothing else on the page needs a script; without it the panel shows the page's moment.
(function () {
  "use strict";
  const panel = document.getElementById("audience-live");
  if (!panel) {
    return;
  }
  const count = document.getElementById("audience-live-count");
  const words = document.getElementById("audience-live-words");
  const list = document.getElementById("audience-live-pages");
  const empty = document.getElementById("audience-live-empty");
  const suffix = words.textContent.replace(/^readers?/, "");

  function draw(data) {
    count.textContent = data.readers.toLocaleString();
    words.textContent = (data.readers === 1 ? "reader" : "readers") + suffix;
    list.replaceChildren.apply(list, data.pages.map(function (place) {
      const item = document.createElement("li");
      let name = document.createTextNode(place.title);
      if (place.figures_url) {
        name = document.createElement("a");
        name.href = place.figures_url;
        name.textContent = place.title;
      }
      const readers = document.createElement("span");
      readers.className = "quiet";
      readers.textContent = String(place.readers);
      item.append(name, " ", readers);
      return item;
    }));
    empty.hidden = data.pages.length > 0;
  }

  function refresh() {
    if (document.hidden) {
      return;
    }
    fetch(panel.dataset.liveUrl, {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          draw(data);
        }
      })
      .catch(function () {});  // offline for a moment: the next round tries again
  }

  setInterval(refresh, 10000);
  document.addEventListener("visibilitychange", refresh);
}());
