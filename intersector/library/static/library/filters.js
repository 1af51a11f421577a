// On a phone the filter list would push the results far down: start it folded there.
(function () {
  var narrow = window.matchMedia && window.matchMedia("(max-width: 52rem)").matches;
  if (!narrow) { return; }
  document.querySelectorAll("details[data-fold-on-phone]").forEach(function (details) {
    details.removeAttribute("open");
  });
})();
