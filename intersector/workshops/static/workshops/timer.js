/* Countdown timers ([data-timer]): the server says when the time ends; each page counts down. */
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // This device's clock may differ from the server's: each countdown keeps the offset between
  // them, measured once from a fresh sample, the server time in the HTML it came in (data-now):
  // for the page itself, at the middle of its request's round trip; for HTML fetched later, when
  // it arrives. Never from a live event's `now` (when it was published): an event that comes
  // late, by polling or replayed after a reconnect, would put the countdown that late.
  var pageTimers = document.querySelectorAll("[data-timer]");
  function pageRequestMiddle() {
    var request = window.performance && performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    if (!request || !request.responseStart || !performance.timeOrigin) return Date.now();
    return performance.timeOrigin + (request.requestStart + request.responseStart) / 2;
  }
  var pageSampledAt = pageRequestMiddle();

  function tick() {
    var timers = document.querySelectorAll("[data-timer]");
    for (var i = 0; i < timers.length; i++) {
      var t = timers[i];
      if (!t.dataset.offset) {
        var sampled = Array.prototype.indexOf.call(pageTimers, t) >= 0 ? pageSampledAt : Date.now();
        t.dataset.offset = String(Number(t.dataset.now) - sampled);
      }
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
  // A panel swapped in by htmx (the console) counts from its arrival, not from the next second.
  document.addEventListener("htmx:afterSwap", tick);
  window.setInterval(tick, 1000);
  tick();
})();
