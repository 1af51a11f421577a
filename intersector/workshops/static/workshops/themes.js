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
})();
