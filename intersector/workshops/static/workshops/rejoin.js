// "Is this you?": look again every few seconds until the first phone (or the facilitator) says
// yes. A script, not <meta http-equiv="refresh">, which screen readers announce as the page
// being taken away (WCAG 2.2.1, axe "meta-refresh"). Without scripts the "Look again now" link.
(function () {
  var waiting = document.querySelector("[data-look-again-seconds]");
  if (!waiting) return;
  var seconds = parseFloat(waiting.dataset.lookAgainSeconds) || 4;
  window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
