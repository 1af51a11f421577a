/* The themes wall. Mouse: drag a card onto another theme to move it; drag a theme's handle onto
   another theme to merge. Keyboard: Space selects a card, arrow keys go from card to card, and
   each card has a "Move … to…" menu and each theme a "Merge … into…" menu. Every change is an
   ordinary POST of the themes/edit form (htmx swaps the wall back in); the server checks it. */
(function () {
  "use strict";
  var dragged = null;      // {kind: "note" | "theme", id, element}
  var wantFocus = null;    // the id to focus once the wall comes back
  var stale = false;       // a live refresh put off while someone was busy on the wall
  var saved = null;        // scroll positions and selection kept across a refresh
  var swapping = false;    // the wall is being replaced (a box losing focus then is not leaving it)

  function wall() { return document.getElementById("themes"); }
  function say(text) {
    var status = document.getElementById("wall-said");
    if (status) { status.textContent = ""; window.setTimeout(function () { status.textContent = text; }, 50); }
  }

  // A change is sent from the status line, which stays on the page and queues changes made in
  // quick succession (htmx drops a request from an element that has one under way, and the wall
  // itself may be fetching a live refresh).
  function post(values, focusId) {
    var themes = wall(), sender = document.getElementById("wall-said");
    if (!themes || !sender) return;
    wantFocus = focusId || null;
    var problem = document.getElementById("problem");
    if (problem) problem.textContent = "";
    window.htmx.ajax("POST", themes.dataset.editUrl,
      {source: sender, target: "#themes", swap: "outerHTML settle:0ms", values: values});
  }
  // A refresh asked for before a change came back may show the wall as it was before it: such a
  // refresh is dropped (and one is asked for again), so a move never seems to jump back.
  var changes = 0, changing = 0;
  function isWall(target) { return target && target.id === "themes"; }
  document.addEventListener("htmx:beforeRequest", function (e) {
    var themes = wall();
    if (!themes || !isWall(e.detail.target)) return;
    if (e.detail.requestConfig.verb === "get") { e.detail.xhr.wallChanges = changes; return; }
    changing += 1;
    if (e.detail.elt !== themes) window.htmx.trigger(themes, "htmx:abort");
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var config = e.detail.requestConfig;
    if (!config || config.verb === "get" || !isWall(e.detail.target)) return;
    changing = Math.max(0, changing - 1);
    changes += 1;
    if (!changing) refreshIfStale();
  });

  function columns() { return Array.prototype.slice.call(document.querySelectorAll(".column[data-theme]")); }
  function themeName(column) { var h = column.querySelector("h3"); return h ? h.textContent.trim() : ""; }

  // --- Drag and drop ---------------------------------------------------------------------------
  document.addEventListener("dragstart", function (e) {
    var grip = e.target.closest && e.target.closest("[data-theme-drag]");
    var card = !grip && e.target.closest && e.target.closest("[data-note]");
    if (grip) { dragged = {kind: "theme", id: grip.dataset.themeDrag, element: grip.closest(".column")}; }
    else if (card) { dragged = {kind: "note", id: card.dataset.note, element: card}; card.classList.add("dragging"); }
    else return;
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", dragged.kind + ":" + dragged.id);
    if (grip) { e.dataTransfer.setDragImage(dragged.element, 20, 20); }
  });
  function target(e) {
    var column = dragged && e.target.closest && e.target.closest(".column[data-theme]");
    if (!column) return null;
    var from = dragged.element.closest(".column");
    return column === from ? null : column;
  }
  function unmark() {
    document.querySelectorAll(".drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
  }
  document.addEventListener("dragover", function (e) {
    var column = target(e);
    if (!column) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("drop-target")) { unmark(); column.classList.add("drop-target"); }
  });
  document.addEventListener("dragleave", function (e) {
    var column = e.target.closest && e.target.closest(".column");
    if (column && !column.contains(e.relatedTarget)) column.classList.remove("drop-target");
  });
  document.addEventListener("dragend", function () {
    if (dragged && dragged.element) dragged.element.classList.remove("dragging");
    var dropped = !dragged;  // drop has already sent the change
    dragged = null;
    unmark();
    if (dropped) stale = false; else refreshIfStale();
  });
  document.addEventListener("drop", function (e) {
    var column = target(e);
    if (!column) return;
    e.preventDefault();
    var what = dragged;
    unmark();
    dragged = null;
    if (what.kind === "note") {
      column.querySelector(".wall-cards").appendChild(what.element);  // at once; the server's wall follows
      post({action: "move", note: what.id, to: column.dataset.theme});
    } else {
      post({action: "merge", themes: [column.dataset.theme, what.id]}, "undo-merge");
    }
  });

  // --- Menus: "Move … to…" on each card, "Merge … into…" on each theme -------------------------------
  var menu = null;
  function closeMenu(focusTrigger, choosing) {
    if (!menu) return;
    var trigger = menu.trigger;
    menu.remove();
    menu = null;
    trigger.setAttribute("aria-expanded", "false");
    if (focusTrigger) trigger.focus();
    if (!choosing) refreshIfStale();  // else the change brings the wall back anyway
  }
  function openMenu(trigger, choices, choose) {
    closeMenu(false);
    menu = document.createElement("div");
    menu.className = "wall-menu";
    menu.setAttribute("role", "menu");
    menu.setAttribute("aria-label", trigger.textContent.replace(/\s+/g, " ").trim());
    menu.trigger = trigger;
    choices.forEach(function (choice) {
      var item = document.createElement("button");
      item.type = "button";
      item.setAttribute("role", "menuitem");
      item.tabIndex = -1;
      item.textContent = choice.label;
      item.addEventListener("click", function () { closeMenu(true, true); stale = false; choose(choice); });
      menu.appendChild(item);
    });
    document.body.appendChild(menu);
    var box = trigger.getBoundingClientRect();
    var top = Math.min(box.bottom + 2, window.innerHeight - menu.offsetHeight - 4);
    menu.style.top = Math.max(4, top) + "px";
    menu.style.left = Math.max(4, Math.min(box.left, window.innerWidth - menu.offsetWidth - 4)) + "px";
    trigger.setAttribute("aria-expanded", "true");
    if (menu.firstChild) menu.firstChild.focus();
  }
  document.addEventListener("keydown", function (e) {
    if (!menu || !menu.contains(e.target)) return;
    var items = Array.prototype.slice.call(menu.children), at = items.indexOf(e.target);
    var next = {ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1}[e.key];
    if (next !== undefined) {
      e.preventDefault();
      items[(next + items.length) % items.length].focus();
    } else if (e.key === "Escape") {
      e.preventDefault();
      closeMenu(true);
    } else if (e.key === "Tab") {
      closeMenu(true);
    }
  });
  document.addEventListener("mousedown", function (e) {
    if (menu && !menu.contains(e.target) && e.target !== menu.trigger) closeMenu(false);
  });

  document.addEventListener("click", function (e) {
    var move = e.target.closest && e.target.closest("[data-move]");
    var merge = e.target.closest && e.target.closest("[data-merge]");
    if (move) {
      if (menu && menu.trigger === move) { closeMenu(true); return; }
      var here = move.closest(".column");
      var choices = columns().filter(function (c) { return c !== here; })
        .map(function (c) { return {label: themeName(c), theme: c.dataset.theme}; });
      choices.push({label: wall().dataset.sayNewTheme, theme: null});
      openMenu(move, choices, function (choice) {
        if (choice.theme) post({action: "move", note: move.dataset.move, to: choice.theme}, move.id);
        else post({action: "new", notes: [move.dataset.move]}, move.id);
      });
    } else if (merge) {
      if (menu && menu.trigger === merge) { closeMenu(true); return; }
      var own = merge.closest(".column");
      openMenu(merge, columns().filter(function (c) { return c !== own; })
        .map(function (c) { return {label: themeName(c), theme: c.dataset.theme}; }), function (choice) {
        post({action: "merge", themes: [choice.theme, merge.dataset.merge]}, "undo-merge");
      });
    }
  });

  // --- Selecting cards, and going from card to card ---------------------------------------------------
  function picks(column) { return Array.prototype.slice.call(column.querySelectorAll(".pick")); }
  function countPicked() {
    var themes = wall(), slot = document.getElementById("picked");
    if (!themes || !slot) return;
    var n = document.querySelectorAll(".pick:checked").length;
    slot.textContent = n === 0 ? themes.dataset.sayPickedNone : n === 1 ? themes.dataset.sayPickedOne
      : themes.dataset.sayPickedMany.replace("{n}", n);
  }
  document.addEventListener("change", function (e) {
    if (e.target.classList && e.target.classList.contains("pick")) countPicked();
  });
  document.addEventListener("keydown", function (e) {
    var pick = e.target.classList && e.target.classList.contains("pick") ? e.target : null;
    if (!pick || e.altKey || e.ctrlKey || e.metaKey) return;
    var column = pick.closest(".column"), list = picks(column), at = list.indexOf(pick), to = null;
    if (e.key === "ArrowDown") to = list[at + 1];
    else if (e.key === "ArrowUp") to = list[at - 1];
    else if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      var all = Array.prototype.slice.call(document.querySelectorAll(".wall .column"));
      var step = e.key === "ArrowRight" ? 1 : -1;
      for (var i = all.indexOf(column) + step; i >= 0 && i < all.length && !to; i += step) {
        var there = picks(all[i]);
        to = there[Math.min(at, there.length - 1)];
      }
    } else return;
    e.preventDefault();
    if (to) { to.focus(); to.scrollIntoView({block: "nearest", inline: "nearest"}); }
  });

  // --- Names: Enter saves, Escape puts the old name back, leaving the box saves a change ---------------
  document.addEventListener("keydown", function (e) {
    if (!e.target.classList || !e.target.classList.contains("theme-name")) return;
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();  // a name is one line: Enter saves it
      e.target.form.requestSubmit();
    } else if (e.key === "Escape") {
      e.target.value = e.target.defaultValue;
      e.target.blur();
    }
  });
  // Browsers without field-sizing: the name box grows to show the whole name.
  var sized = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");
  function fitNames() {
    if (sized) return;
    document.querySelectorAll(".theme-name").forEach(function (box) {
      box.style.height = "auto";
      box.style.height = box.scrollHeight + 2 + "px";
    });
  }
  document.addEventListener("input", function (e) { if (e.target.classList && e.target.classList.contains("theme-name")) fitNames(); });
  document.addEventListener("DOMContentLoaded", fitNames);
  document.addEventListener("focusout", function (e) {
    var box = e.target;
    if (!box.classList || !box.classList.contains("theme-name")) return;
    if (swapping || !box.isConnected) return;  // the wall being redrawn, not the person leaving
    if (box.form.contains(e.relatedTarget)) return;  // on to its own Save button
    if (box.value.trim() && box.value !== box.defaultValue) { box.form.requestSubmit(); }
    else { refreshIfStale(); }
  });

  // --- Live refreshes: not while someone is busy on the wall; keep their place when they come ----------
  function busy() {
    var active = document.activeElement;
    var naming = active && active.classList && active.classList.contains("theme-name") && active.value !== active.defaultValue;
    // A "Delete …" confirmation left open is not closed under the facilitator by a refresh.
    var confirming = document.querySelector(".delete-theme[open]");
    return !!(dragged || menu || naming || confirming);
  }
  document.addEventListener("toggle", function (e) {
    if (e.target.classList && e.target.classList.contains("delete-theme") && !e.target.open) refreshIfStale();
  }, true);
  // Escape closes an open confirmation and gives the focus back to its "Delete …".
  document.addEventListener("keydown", function (e) {
    var open = e.key === "Escape" && e.target.closest && e.target.closest(".delete-theme[open]");
    if (!open) return;
    e.preventDefault();
    open.open = false;
    open.querySelector("summary").focus();
  });
  // A deleted theme's column goes: the focus goes on to the next theme's (or the one before's)
  // "Merge … into…", not to the page.
  document.addEventListener("htmx:beforeRequest", function (e) {
    var form = e.detail.elt;
    if (!form || !form.matches || !form.matches("form[data-delete-theme]")) return;
    var all = columns(), here = form.closest(".column"), at = all.indexOf(here);
    var next = all[at + 1] || all[at - 1];
    wantFocus = next ? "merge-" + next.dataset.theme : "new-label";
  });
  // Where the keyboard is on the wall, as an id that a redrawn wall has again: the focused
  // element's own, or its confirmation's (a "Delete …" summary has none of its own).
  function focusedPlace(themes) {
    var active = document.activeElement;
    if (!active || !themes.contains(active)) return null;
    if (active.id) return {id: active.id, summary: false};
    var holder = active.tagName === "SUMMARY" && active.parentElement;
    return holder && holder.id ? {id: holder.id, summary: true} : null;
  }
  function refreshIfStale() {
    if (stale && !busy()) { stale = false; document.dispatchEvent(new CustomEvent("convene:board")); }
  }
  document.addEventListener("htmx:confirm", function (e) {
    if (e.detail.elt && e.detail.elt.id === "themes" && e.detail.verb === "get" && busy()) {
      e.preventDefault();
      stale = true;
    }
  });
  document.addEventListener("htmx:beforeSwap", function (e) {
    var themes = wall();
    if (!themes || e.detail.target !== themes || !e.detail.shouldSwap) return;
    var isRefresh = e.detail.requestConfig && e.detail.requestConfig.verb === "get";
    var outdated = isRefresh && (changing || e.detail.xhr.wallChanges !== changes);
    if (isRefresh && (busy() || outdated)) {
      // Nor may a refresh asked for before someone started typing a name take the box away.
      e.detail.shouldSwap = false;
      stale = true;
      if (!changing) window.setTimeout(refreshIfStale, 0);
      return;
    }
    swapping = true;
    var board = themes.querySelector(".wall"), scrolls = {};
    themes.querySelectorAll(".column").forEach(function (c) { scrolls[c.id] = c.querySelector(".wall-cards").scrollTop; });
    saved = {left: board ? board.scrollLeft : 0, scrolls: scrolls, page: window.scrollY,
      picked: isRefresh ? Array.prototype.map.call(themes.querySelectorAll(".pick:checked"), function (p) { return p.id; }) : [],
      focused: isRefresh ? focusedPlace(themes) : null};
  });
  document.addEventListener("htmx:afterSwap", function () {
    var themes = wall();
    swapping = false;
    fitNames();
    if (!saved || !themes) return;
    var board = themes.querySelector(".wall");
    if (board) board.scrollLeft = saved.left;
    Object.keys(saved.scrolls).forEach(function (id) {
      var column = document.getElementById(id);
      if (column) column.querySelector(".wall-cards").scrollTop = saved.scrolls[id];
    });
    saved.picked.forEach(function (id) { var pick = document.getElementById(id); if (pick) pick.checked = true; });
    // A live refresh redraws the wall under the keyboard: the focus stays where it was.
    var place = saved.focused && document.getElementById(saved.focused.id);
    if (place && saved.focused.summary) place = place.querySelector("summary");
    if (place && document.activeElement !== place && (!document.activeElement || document.activeElement === document.body)) {
      place.focus({preventScroll: true});
    }
    window.scrollTo(window.scrollX, saved.page);
    saved = null;
    countPicked();
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    // Only the change's own answer: a live refresh may settle in between.
    var config = e.detail.requestConfig;
    if (!wantFocus || !config || config.verb === "get") return;
    var found = document.getElementById(wantFocus);
    wantFocus = null;
    if (found) { found.focus({preventScroll: true}); found.scrollIntoView({block: "nearest", inline: "nearest"}); }
  });
  // What the server did, read out (the wall itself changes without a word).
  document.addEventListener("wall:said", function (e) { say(e.detail.value); });

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
