/* Passages of a story's body that staff comment on (desk/static/desk/comments.js uses these).
 *
 * A passage is stored as its words and a little text either side (desk/comments.py), so it is
 * found again as the body changes. In CKEditor it is highlighted with a marker drawn in the
 * editing view only: nothing of it reaches the saved body. In the body as read (a person who
 * may not edit the story) it is a <mark> in the page's copy.
 */
(function () {
  "use strict";

  const CONTEXT = 100; // characters kept either side of a passage (desk/comments.py)
  const MARKER = "desk-comment";

  /* Highlight the comment markers in the editing view; each mark names its thread. */
  function highlightIn(editor) {
    editor.conversion.for("editingDowncast").markerToHighlight({
      model: MARKER,
      view: function (data) {
        return {
          classes: "desk-comment-mark",
          attributes: { "data-comment": data.markerName.split(":")[1] },
        };
      },
    });
  }

  // --- The body as text, and back to positions in CKEditor's model ---------------------------

  /* The body's words, blocks joined by new lines, and where each run of text starts. */
  function textMap(editor) {
    const root = editor.model.document.getRoot();
    const pieces = [];
    let text = "";
    let lastParent = null;
    for (const value of editor.model.createRangeIn(root)) {
      if (value.type !== "text") {
        continue;
      }
      if (lastParent && value.item.parent !== lastParent) {
        text += "\n";
      }
      lastParent = value.item.parent;
      pieces.push({ start: text.length, length: value.item.data.length, position: value.previousPosition });
      text += value.item.data;
    }
    return { text: text, pieces: pieces };
  }

  function offsetOf(map, position) {
    for (const piece of map.pieces) {
      const start = piece.position;
      const before = position.compareWith(start);
      if (before === "before" || before === "same") {
        return piece.start;
      }
      const end = position.compareWith(start.getShiftedBy(piece.length));
      if (end === "before" || end === "same") {
        return piece.start + (position.offset - start.offset);
      }
    }
    return map.text.length;
  }

  function positionAt(map, offset, isEnd) {
    for (const piece of map.pieces) {
      const end = piece.start + piece.length;
      if (offset >= piece.start && (isEnd ? offset <= end : offset < end)) {
        return piece.position.getShiftedBy(offset - piece.start);
      }
    }
    return null;
  }

  function sameLength(a, b, fromEnd) {
    let n = 0;
    while (n < a.length && n < b.length) {
      const x = fromEnd ? a[a.length - 1 - n] : a[n];
      const y = fromEnd ? b[b.length - 1 - n] : b[n];
      if (x !== y) {
        break;
      }
      n += 1;
    }
    return n;
  }

  /* Where the passage is now: the occurrence of its words whose surroundings match best. */
  function locate(map, thread) {
    let best = -1;
    let bestScore = -1;
    let at = map.text.indexOf(thread.quote);
    while (at !== -1) {
      const before = map.text.slice(Math.max(0, at - thread.before.length), at);
      const after = map.text.slice(at + thread.quote.length, at + thread.quote.length + thread.after.length);
      const score = sameLength(before, thread.before, true) + sameLength(after, thread.after, false);
      if (score > bestScore) {
        best = at;
        bestScore = score;
      }
      at = map.text.indexOf(thread.quote, at + 1);
    }
    return best;
  }

  function selected(editor) {
    const selection = editor.model.document.selection;
    if (selection.isCollapsed) {
      return null;
    }
    const range = selection.getFirstRange();
    const map = textMap(editor);
    let start = offsetOf(map, range.start);
    let end = offsetOf(map, range.end);
    while (start < end && /\s/.test(map.text[start])) {
      start += 1;
    }
    while (end > start && /\s/.test(map.text[end - 1])) {
      end -= 1;
    }
    if (end <= start) {
      return null;
    }
    return {
      quote: map.text.slice(start, end),
      before: map.text.slice(Math.max(0, start - CONTEXT), start),
      after: map.text.slice(end, end + CONTEXT),
    };
  }

  function markInEditor(editor, threads) {
    const map = textMap(editor);
    editor.model.change(function (writer) {
      Array.from(editor.model.markers.getMarkersGroup(MARKER)).forEach(function (marker) {
        writer.removeMarker(marker);
      });
      threads.forEach(function (thread) {
        if (!thread.quote || thread.resolved) {
          return;
        }
        const at = locate(map, thread);
        const start = at === -1 ? null : positionAt(map, at, false);
        const end = at === -1 ? null : positionAt(map, at + thread.quote.length, true);
        thread.lost = !start || !end;
        if (!thread.lost) {
          writer.addMarker(MARKER + ":" + thread.id, {
            range: writer.createRange(start, end),
            usingOperation: false,
            affectsData: false,
          });
        }
      });
    });
  }

  // --- The body as read, when the person may not edit it: marks in the page's own copy ------

  const READ_BLOCKS = "p, h1, h2, h3, h4, h5, h6, li, blockquote, figcaption, td, th, pre";

  function readTextMap(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const pieces = [];
    let text = "";
    let lastBlock = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const block = node.parentElement.closest(READ_BLOCKS);
      if (!block || !root.contains(block)) {
        continue; // the white space between blocks
      }
      if (lastBlock && block !== lastBlock) {
        text += "\n";
      }
      lastBlock = block;
      pieces.push({ start: text.length, node: node });
      text += node.data;
    }
    return { text: text, pieces: pieces };
  }

  function markAsRead(root, threads) {
    root.querySelectorAll("mark.desk-comment-mark").forEach(function (mark) {
      mark.replaceWith.apply(mark, Array.from(mark.childNodes));
    });
    root.normalize();
    threads.forEach(function (thread) {
      if (!thread.quote || thread.resolved) {
        return;
      }
      const map = readTextMap(root); // again for each: marking splits the text
      const at = locate(map, thread);
      if (at === -1) {
        return;
      }
      const end = at + thread.quote.length;
      map.pieces.slice().reverse().forEach(function (piece) {
        const from = Math.max(at, piece.start) - piece.start;
        const to = Math.min(end, piece.start + piece.node.data.length) - piece.start;
        if (from >= to) {
          return;
        }
        const range = document.createRange();
        range.setStart(piece.node, from);
        range.setEnd(piece.node, to);
        const mark = document.createElement("mark");
        mark.className = "desk-comment-mark";
        mark.dataset.comment = String(thread.id);
        range.surroundContents(mark);
      });
    });
  }

  function show(editor, thread) {
    const marker = editor.model.markers.get(MARKER + ":" + thread.id);
    if (!marker) {
      return;
    }
    editor.model.change(function (writer) {
      writer.setSelection(marker.getRange());
    });
    editor.editing.view.focus();
    editor.editing.view.scrollToTheSelection();
  }

  window.newsroomDesk = window.newsroomDesk || {};
  window.newsroomDesk.passages = {
    highlightIn: highlightIn,
    selected: selected,
    markInEditor: markInEditor,
    markAsRead: markAsRead,
    show: show,
  };
})();
