/* Countdown timers ([data-timer]): the server says when the time ends; each page counts down. */
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var timers = document.querySelectorAll("[data-timer]");
    for (var i = 0; i < timers.length; i++) {
      var t = timers[i];
      if (!t.dataset.offset) { t.dataset.offset = String(Number(t.dataset.now) - Date.now()); }
      var left = Number(t.dataset.remaining);
      if (t.dataset.ends) {
        left = Math.max(0, Math.ceil((Number(t.dataset.ends) - (Date.now() + Number(t.dataset.offset))) / 1000));
      }
      var value = t.querySelector(".timer-value");
      var text = Math.floor(left / 60) + ":" + pad(left % 60);
      if (value && value.textContent !== text) value.textContent = text;
      t.classList.toggle("timer-low", left <= 30);
    }
  }
  // The timer's new state comes in the live event: no need to load the page again.
  document.addEventListener("live:timer.changed", function (event) {
    var d = event.detail && event.detail.data;
    if (!d || d.remaining === undefined) return;
    var timers = document.querySelectorAll("[data-timer]");
    for (var i = 0; i < timers.length; i++) {
      var t = timers[i];
      t.dataset.ends = d.ends || "";
      t.dataset.remaining = String(d.remaining);
      t.dataset.now = String(d.now);
      delete t.dataset.offset;
      t.classList.toggle("timer-paused", !d.running);
      var state = t.querySelector(".timer-state");
      if (!d.running && d.remaining) {
        if (!state) {
          state = document.createElement("span");
          state.className = "timer-state";
          t.appendChild(document.createTextNode(" "));
          t.appendChild(state);
        }
        state.textContent = "(" + (t.dataset.sayPaused || "") + ")";
      } else if (state) {
        state.parentNode.removeChild(state);
      }
    }
    tick();
  });
  window.conveneTick = tick;
  window.setInterval(tick, 1000);
  tick();
})();
