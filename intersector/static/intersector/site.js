// Small progressive enhancements; every page works without this file.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});

// With scripts on, the language menu changes on selection; its button is only for no-script use.
document.documentElement.classList.add("js");

// A live refresh may redraw a box someone is typing in. htmx gives the new box the focus and the
// selection back, but not a selection that starts at the first letter: after "select all" the
// name typed next would land before the old one ("Sign-offsRed tape"). Keep it whole.
var keptSelection = null;
document.addEventListener("htmx:beforeSwap", function () {
  var box = document.activeElement;
  keptSelection = box && box.id && typeof box.selectionStart === "number"
    ? {id: box.id, start: box.selectionStart, end: box.selectionEnd, direction: box.selectionDirection} : null;
});
document.addEventListener("htmx:afterSwap", function () {
  var kept = keptSelection, box = kept && document.getElementById(kept.id);
  keptSelection = null;
  if (!box || box !== document.activeElement || typeof box.selectionStart !== "number") return;
  if (box.selectionStart !== kept.start || box.selectionEnd !== kept.end) {
    box.setSelectionRange(kept.start, kept.end, kept.direction);
  }
});
