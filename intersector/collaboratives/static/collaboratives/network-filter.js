// The network survey's list of partners: a box that narrows the list as one types. Without
// JavaScript the box stays hidden and the list is read A to Z; ticked boxes are sent either way.
(function () {
  "use strict";
  var box = document.getElementById("pick-filter");
  var list = document.getElementById("picks");
  if (!box || !list) { return; }
  var count = document.getElementById("pick-count");
  var items = Array.prototype.slice.call(list.children);
  function plain(text) {  // "Société" is found by "societe"
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var names = items.map(function (item) { return plain(item.textContent); });
  box.addEventListener("input", function () {
    var wanted = plain(box.value.trim());
    var shown = 0;
    items.forEach(function (item, i) {
      var match = !wanted || names[i].indexOf(wanted) !== -1;
      item.hidden = !match;
      if (match) { shown += 1; }
    });
    count.textContent = wanted ? count.dataset.template.replace("%(shown)s", shown).replace("%(all)s", items.length) : "";
  });
  box.addEventListener("keydown", function (event) {  // Enter here narrows; it does not send the list
    if (event.key === "Enter") { event.preventDefault(); }
  });
  box.parentNode.hidden = false;
}());
