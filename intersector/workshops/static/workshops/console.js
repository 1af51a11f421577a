/* The console and the kinds' own facilitator pages. */
(function () {
  "use strict";
  // Show a refused action's message (htmx does not swap error responses).
  document.addEventListener("htmx:responseError", function (e) {
    var slot = document.getElementById("problem");
    if (slot) slot.innerHTML = e.detail.xhr.responseText;
  });
  // Busy events (hundreds of notes a minute) refresh a panel at most once a second, and always
  // once more after the last one, so the board never stops short of the latest note.
  function throttled(sources, target) {
    var timer = null, pending = false;
    function fire() {
      timer = null;
      if (pending) { pending = false; document.dispatchEvent(new CustomEvent(target)); timer = window.setTimeout(fire, 1000); }
    }
    sources.forEach(function (name) {
      document.addEventListener(name, function () { pending = true; if (!timer) fire(); });
    });
  }
  // The activity kinds' own events (notes, votes...) come from the page: data-board-events.
  var live = document.getElementById("live");
  var boardEvents = ((live && live.dataset.boardEvents) || "").split(/\s+/).filter(Boolean);
  throttled(boardEvents.map(function (name) { return "live:" + name; }), "convene:board");
  throttled(["live:people.changed"], "convene:people");
})();

/* Never pull the console out from under someone who is typing in it or has the set-up open:
   a refresh for the activity's events waits until they are done (the next note or event brings it). */
document.addEventListener("htmx:confirm", function (e) {
  var panel = e.detail.elt;
  if (!panel || panel.id !== "now" || e.detail.verb !== "get") return;
  var active = document.activeElement;
  var typing = active && panel.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
  if (typing || panel.querySelector("details[open]")) { e.preventDefault(); }
});

/* Keep the keyboard where it was when a panel is swapped (a button pressed, a refresh): the same
   element again, else the nearest of its surroundings that has an id (e.g. the question's row). */
(function () {
  "use strict";
  var path = [];
  document.addEventListener("htmx:beforeSwap", function () {
    path = [];
    for (var el = document.activeElement; el && el !== document.body; el = el.parentElement) {
      if (el.id) path.push(el.id);
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    var active = document.activeElement;
    if (!path.length || (active && active !== document.body)) return;
    var found = path.map(function (id) { return document.getElementById(id); }).filter(Boolean)[0];
    path = [];
    if (!found) return;
    if (found.tabIndex < 0 && !found.hasAttribute("tabindex")) { found.setAttribute("tabindex", "-1"); }
    found.focus();
  });
})();
