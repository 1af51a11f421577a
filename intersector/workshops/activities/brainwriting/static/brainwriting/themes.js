/* Drag a note onto another theme to move it. Every note also has a "Move to" list (keyboard). */
(function () {
  "use strict";
  var dragged = null;
  document.addEventListener("dragstart", function (e) {
    var li = e.target.closest && e.target.closest("[data-note]");
    if (!li) return;
    dragged = li;
    e.dataTransfer.setData("text/plain", li.dataset.note);
  });
  document.addEventListener("dragover", function (e) {
    var theme = dragged && e.target.closest && e.target.closest("[data-theme]");
    if (theme) { e.preventDefault(); theme.classList.add("drop-target"); }
  });
  document.addEventListener("dragleave", function (e) {
    var theme = e.target.closest && e.target.closest("[data-theme]");
    if (theme) theme.classList.remove("drop-target");
  });
  document.addEventListener("drop", function (e) {
    var theme = dragged && e.target.closest && e.target.closest("[data-theme]");
    if (!theme) return;
    e.preventDefault();
    theme.classList.remove("drop-target");
    var form = dragged.querySelector(".move-form");
    form.querySelector("select").value = theme.dataset.theme;
    dragged = null;
    form.submit();
  });

  // Themes are made by a background job whose status polls every second. When a run that was
  // going on as the page loaded finishes, load the page again to show its themes and grid (the
  // live event that does this with Redis does not reach this page on a single server).
  var running = !!document.querySelector("#job-status[hx-get]");
  document.addEventListener("htmx:afterSettle", function () {
    var status = document.getElementById("job-status");
    if (running && status && !status.hasAttribute("hx-get")) {
      running = false;
      window.location.reload();
    }
  });
})();
