/* The case simulation's console: each table's phase clock counts down between refreshes.
   The page is swapped by htmx on every board event, so this runs once and reads the DOM each tick. */
(function () {
  "use strict";
  if (window.casesimClock) return;
  window.casesimClock = true;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var clocks = document.querySelectorAll(".sim-clock[data-ends]");
    for (var i = 0; i < clocks.length; i++) {
      var ends = parseInt(clocks[i].dataset.ends, 10);
      if (!ends) continue;
      var left = Math.round((ends - Date.now()) / 1000);
      var abs = Math.abs(left);
      var text = (left < 0 ? "+" : "") + Math.floor(abs / 60) + ":" + pad(abs % 60);
      var slot = clocks[i].querySelector(".sim-count");
      if (!slot) {
        slot = document.createElement("span");
        slot.className = "sim-count";
        slot.setAttribute("aria-hidden", "true");
        clocks[i].appendChild(document.createTextNode(" "));
        clocks[i].appendChild(slot);
      }
      slot.textContent = "(" + text + ")";
      clocks[i].classList.toggle("over", left < 0);
    }
  }
  tick();
  window.setInterval(tick, 1000);
  // "Quiet for 3 minutes" and "connected" change with no event: look again every 30 s
  // (console.js skips it while the facilitator types or has a set-up open).
  window.setInterval(function () {
    if (document.querySelector(".sim-overview")) document.dispatchEvent(new CustomEvent("convene:board"));
  }, 30000);
  document.addEventListener("htmx:afterSwap", tick);
})();
