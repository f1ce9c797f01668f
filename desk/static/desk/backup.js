/* The browser's copy of a form the server has not confirmed yet (story_form.js uses it).
 *
 * Kept in localStorage under "newsroom-desk:<person>:<autosave URL>:<tab>", so it outlives a
 * closed tab or a crash while signed out or offline, and is never sent as someone else's: a
 * page only reads the backups of the person signed in to it. Dropped once the server has it.
 */
(function () {
  "use strict";
  const desk = (window.newsroomDesk = window.newsroomDesk || {});

  desk.backups = function (person, autosaveUrl) {
    const prefix = "newsroom-desk:" + person + ":" + autosaveUrl + ":";

    function keep(tab, data) {
      const fields = [];
      data.forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken") {
          fields.push([name, value]);
        }
      });
      try {
        const backup = { at: Date.now(), tab: tab, fields: fields };
        window.localStorage.setItem(prefix + tab, JSON.stringify(backup));
      } catch (full) {
        // Storage full or refused: the server copy and the leave prompt still stand.
      }
    }

    function drop(tab) {
      try {
        window.localStorage.removeItem(prefix + tab);
      } catch (refused) {
        // nothing kept, nothing to drop
      }
    }

    /* Every backup a tab of this form left: [{tab, data}] with data as a FormData. */
    function left() {
      const found = [];
      try {
        for (let i = 0; i < window.localStorage.length; i += 1) {
          const key = window.localStorage.key(i);
          if (key && key.indexOf(prefix) === 0) {
            found.push(key);
          }
        }
      } catch (refused) {
        return [];
      }
      return found
        .map(function (key) {
          try {
            const backup = JSON.parse(window.localStorage.getItem(key));
            const data = new FormData();
            backup.fields.forEach(function (field) {
              data.append(field[0], field[1]);
            });
            data.set("_desk_tab", backup.tab);
            return { tab: backup.tab, data: data };
          } catch (broken) {
            window.localStorage.removeItem(key);
            return null;
          }
        })
        .filter(Boolean);
    }

    return { keep: keep, drop: drop, left: left };
  };
})();
