// Small DOM helpers shared by the story form's scripts (loaded first, deferred like them).
(function () {
  "use strict";
  window.newsroomDesk = window.newsroomDesk || {};
  // A new element with attributes and, optionally, text (never HTML).
  window.newsroomDesk.element = function (tag, attrs, text) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  };
})();
