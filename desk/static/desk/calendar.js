// The calendar's drag to reschedule: a card a person may move is dropped on another day, and
// the move goes to the same address as its "Move to…" form (which works without this script).
// The server decides; the card moves only when it said yes, and the answer is read aloud.
(function () {
  "use strict";
  const grid = document.querySelector(".calendar-grid");
  const status = document.getElementById("calendar-status");
  if (!grid || !status) {
    return;
  }
  let dragged = null;

  function say(text, done) {
    status.textContent = text;
    status.classList.toggle("refused", !done);
  }

  function clearTargets() {
    grid.querySelectorAll(".cal-drop").forEach(function (day) {
      day.classList.remove("cal-drop");
    });
  }

  // Keep a day's cards in time order, and its "empty" mark (phones hide empty days) true.
  function place(card, day) {
    const list = day.querySelector(".cal-entries");
    const later = Array.prototype.find.call(list.children, function (other) {
      return other.dataset.time > card.dataset.time;
    });
    const from = card.closest(".cal-day");
    list.insertBefore(card, later || null);
    from.classList.toggle("cal-empty", !from.querySelector(".cal-entry"));
    day.classList.remove("cal-empty");
    const input = card.querySelector("input[name=date]");
    if (input) {
      input.value = day.dataset.date;
    }
  }

  function move(card, day) {
    const body = new FormData();
    body.append("date", day.dataset.date);
    const token = card.querySelector("[name=csrfmiddlewaretoken]");
    card.setAttribute("aria-busy", "true");
    fetch(card.dataset.moveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (answer) {
          if (response.ok) {
            place(card, day);
          }
          say(answer.message, response.ok);
        });
      })
      .catch(function () {
        say("Not moved: the desk could not be reached, or you are signed out. Reload the page and try again.", false);
      })
      .finally(function () {
        card.removeAttribute("aria-busy");
      });
  }

  grid.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest(".cal-movable");
    if (!card) {
      return;
    }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
    card.classList.add("cal-dragging");
  });
  grid.addEventListener("dragend", function () {
    if (dragged) {
      dragged.classList.remove("cal-dragging");
    }
    dragged = null;
    clearTargets();
  });
  grid.addEventListener("dragover", function (event) {
    const day = dragged && event.target.closest(".cal-day");
    if (!day) {
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!day.classList.contains("cal-drop")) {
      clearTargets();
      day.classList.add("cal-drop");
    }
  });
  grid.addEventListener("drop", function (event) {
    const day = dragged && event.target.closest(".cal-day");
    if (!day) {
      return;
    }
    event.preventDefault();
    const card = dragged;
    card.classList.remove("cal-dragging");
    dragged = null;
    clearTargets();
    if (!day.contains(card)) {
      move(card, day);
    }
  });
})();
