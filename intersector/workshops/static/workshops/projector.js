/* Projector: reload the board when anything changes (at most once a second). */
(function () {
  "use strict";
  var live = document.getElementById("live"), board = document.getElementById("board");
  var waiting = false;
  function refresh() {
    if (waiting) return;
    waiting = true;
    window.setTimeout(function () {
      fetch(live.dataset.refresh, {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r); })
        .then(function (html) { board.innerHTML = html; if (window.conveneTick) window.conveneTick(); })
        .catch(function () {})
        .then(function () { waiting = false; });
    }, 1000);
  }
  (live.dataset.liveEvents + " resync").split(" ").forEach(function (name) {
    document.addEventListener("live:" + name, refresh);
  });
})();
