/* Brainwriting on the phone: the notes behind a theme, read while voting. A large theme's notes
   load when it is opened; an opened theme stays open (with its notes) when the screen is redrawn
   after a vote, and a change to the themes loads its notes afresh. */
(function () {
  "use strict";
  var screen = document.getElementById("screen");
  if (!screen) return;
  var open = {};    // details id -> true while the person has it open
  var loaded = {};  // details id -> the notes' HTML, for a redrawn screen

  function load(details) {
    var url = details.dataset.notesUrl, id = details.id;
    if (!url || details.dataset.loaded) return;
    details.dataset.loaded = "1";
    if (loaded[id]) { details.querySelector(".behind-notes").innerHTML = loaded[id]; return; }
    fetch(url, {credentials: "same-origin", headers: {"X-Convene": "fetch"}})
      .then(function (r) { return r.text().then(function (html) { return {ok: r.ok, html: html}; }); })
      .then(function (answer) {
        if (answer.ok) loaded[id] = answer.html;
        var now = document.getElementById(id);
        if (now) now.querySelector(".behind-notes").innerHTML = answer.html;
      })
      .catch(function () { delete details.dataset.loaded; });
  }

  // "toggle" does not bubble: listen while it goes down to the details.
  document.addEventListener("toggle", function (e) {
    var details = e.target;
    if (!details.classList || !details.classList.contains("behind")) return;
    if (details.open) { open[details.id] = true; load(details); } else { delete open[details.id]; }
  }, true);

  // phone.js redraws the whole screen after each vote and each change: open again what was open.
  new MutationObserver(function () {
    Object.keys(open).forEach(function (id) {
      var details = document.getElementById(id);
      if (details && !details.open) {
        if (loaded[id]) { details.querySelector(".behind-notes").innerHTML = loaded[id]; details.dataset.loaded = "1"; }
        details.open = true;
      }
    });
  }).observe(screen, {childList: true});

  document.addEventListener("live:themes.changed", function () { loaded = {}; });
})();
