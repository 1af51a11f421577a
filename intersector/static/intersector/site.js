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

// A refresh (a GET swap: a live event redrawing a panel) must not undo what someone has ticked or
// typed and not yet sent: a box ticked to confirm, a number changed. The fields they changed come
// back as they left them, when the redrawn page has the same field with the same starting value
// (else the server's change wins). A field is known by its id, or by its form's action, hidden
// values, name and value; one that is not unique is left alone.
var keptFields = null;
function fieldKey(field) {
  if (field.id) return "#" + field.id;
  var form = field.form;
  if (!form || !field.name) return null;
  var hidden = Array.prototype.filter.call(form.querySelectorAll("input[type=hidden]"), function (h) {
    return h.name !== "csrfmiddlewaretoken";
  }).map(function (h) { return h.name + "=" + h.value; }).join("&");
  var ticks = field.type === "checkbox" || field.type === "radio";
  return (form.getAttribute("action") || "") + "?" + hidden + "|" + field.name + "|" + (ticks ? field.value : "");
}
function changedState(field) {
  if (field.type === "checkbox" || field.type === "radio") {
    return field.checked !== field.defaultChecked ? {ticks: true, now: field.checked, was: field.defaultChecked} : null;
  }
  if (field.tagName === "SELECT" || /^(hidden|file|submit|button|password)$/.test(field.type)) return null;
  return field.value !== field.defaultValue ? {ticks: false, now: field.value, was: field.defaultValue} : null;
}
function fieldsByKey(root) {
  var found = {}, seen = {};
  Array.prototype.forEach.call(root.querySelectorAll("input, textarea"), function (field) {
    var key = fieldKey(field);
    if (!key) return;
    if (seen[key]) { found[key] = null; return; }
    seen[key] = true;
    found[key] = field;
  });
  return found;
}
document.addEventListener("htmx:beforeSwap", function (e) {
  keptFields = null;
  var config = e.detail.requestConfig, target = e.detail.target;
  if (!config || config.verb !== "get" || !target || !e.detail.shouldSwap) return;
  var fields = fieldsByKey(target), kept = {};
  Object.keys(fields).forEach(function (key) {
    var state = fields[key] && changedState(fields[key]);
    if (state) kept[key] = state;
  });
  if (Object.keys(kept).length) keptFields = kept;
});
document.addEventListener("htmx:afterSwap", function () {
  var kept = keptFields;
  keptFields = null;
  if (!kept) return;
  var fields = fieldsByKey(document);
  Object.keys(kept).forEach(function (key) {
    var field = fields[key], state = kept[key];
    if (!field) return;
    if (state.ticks && field.defaultChecked === state.was) field.checked = state.now;
    if (!state.ticks && field.defaultValue === state.was) field.value = state.now;
  });
});
