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
  window.conveneTick = tick;
  window.setInterval(tick, 1000);
  tick();
})();
