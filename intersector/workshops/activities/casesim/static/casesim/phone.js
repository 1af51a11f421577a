/* Case simulation on the phone: the table's sheet, live and shared.
 *
 * Written into every phone page after workshops/phone.js (Activity.phone_scripts); it acts only
 * inside the simulation's screen (.sim). The core's phone.js swaps the screen on screen and phase
 * events (and on resync); this file shows a change of one element of the sheet ([data-sim-entry])
 * from its sim.sheet event, which carries what the table's phones show (table.shown), and fetches
 * the element only when the event cannot say it all. It never overwrites a box that holds unsaved
 * text: that one says "Someone changed this".
 * A save names the version it was typed over; unsent text stays in localStorage (per workshop,
 * person and element) and is sent again when the phone is back online or reloads.
 */
(function () {
  "use strict";
  var screen = document.getElementById("screen");
  if (!screen || !window.fetch) return;
  var DEBOUNCE_MS = 1000;
  var timers = {}, sending = {}, resend = {}, again = {}, loading = {};

  var live = document.getElementById("live");
  function sim() { return screen.querySelector(".sim"); }
  // The table's screen is shared by everyone at the table (data-sim-person empty): the person is
  // the page's own (#live data-participant), as is the CSRF token.
  function person() {
    var s = sim();
    return (s && s.dataset.simPerson) || (live && live.dataset.participant) || "";
  }
  function say(name) { var s = sim(); return (s && s.dataset["say" + name]) || ""; }
  function entryOf(node) { return node && node.closest ? node.closest("[data-sim-entry]") : null; }
  function entryEl(key) { return screen.querySelector('[data-sim-entry="' + key + '"]'); }
  function box(entry) { return entry && entry.querySelector("form[data-sim-sheet] textarea[name=text]"); }
  function dirty(entry) {
    var areas = entry ? entry.querySelectorAll("textarea") : [];
    for (var i = 0; i < areas.length; i++) { if (areas[i].value !== areas[i].defaultValue) return true; }
    return false;
  }

  // --- Drafts kept on the phone ---------------------------------------------------------------
  function storeKey(key) {
    var s = sim();
    return s ? "casesim:" + s.dataset.simCode + ":" + person() + ":" + key : null;
  }
  function keepDraft(key, text, base) {
    try { localStorage.setItem(storeKey(key), JSON.stringify({text: text, base: base})); } catch (e) { /* full or private */ }
  }
  function draftOf(key) {
    try { return JSON.parse(localStorage.getItem(storeKey(key)) || "null"); } catch (e) { return null; }
  }
  function dropDraft(key) { try { localStorage.removeItem(storeKey(key)); } catch (e) { /* nothing kept */ } }
  function draftKeys() {
    var s = sim(), keys = [];
    if (!s) return keys;
    var prefix = "casesim:" + s.dataset.simCode + ":" + person() + ":";
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var name = localStorage.key(i);
        if (name && name.indexOf(prefix) === 0) keys.push(name.slice(prefix.length));
      }
    } catch (e) { /* no storage */ }
    return keys;
  }

  function pending(entry, text) {
    var slot = entry && entry.querySelector(".sim-pending");
    if (slot) slot.textContent = text || "";
  }
  // A refusal's own words as plain text (phone.js): never an error page's markup in the sheet.
  function problem(entry, html) {
    var slot = entry && entry.querySelector(".problem-slot");
    if (!slot) return;
    slot.textContent = "";
    if (!html) return;
    var p = document.createElement("p");
    p.className = "problem";
    p.textContent = window.conveneProblemText(html);
    slot.appendChild(p);
  }

  // --- Swapping one element ---------------------------------------------------------------------
  function fresh(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    return holder.querySelector("[data-sim-entry]");
  }
  function swap(entry, html) {
    var next = fresh(html);
    if (!next || !entry.parentNode) return null;
    // Focus stays where it was (the same control of the new element): keyboard users keep their place.
    var controls = "textarea, button, input:not([type=hidden]), summary, a[href]";
    var focused = entry.contains(document.activeElement) ? document.activeElement : null;
    var index = focused ? Array.prototype.indexOf.call(entry.querySelectorAll(controls), focused) : -1;
    entry.parentNode.replaceChild(next, entry);
    if (focused) {
      var same = next.querySelectorAll(controls)[index];
      (same || next.querySelector("textarea, button") || next).focus();
    }
    return next;
  }

  function same(a, b) {
    function status(e) { var s = e.querySelector(".sim-status"); return s ? s.textContent : ""; }
    return a.dataset.version === b.dataset.version && status(a) === status(b) &&
      !a.querySelector(".sim-conflict") === !b.querySelector(".sim-conflict") &&
      !a.querySelector("form") === !b.querySelector("form");
  }

  function reload(key) {
    var entry = entryEl(key);
    if (!entry) return;
    if (loading[key]) { again[key] = true; return; }
    loading[key] = fetch(entry.dataset.url, {credentials: "same-origin", headers: {"X-Convene": "fetch"}})
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r); })
      .then(function (html) {
        var current = entryEl(key);
        if (!current) return;
        var next = fresh(html);
        if (!next || same(current, next)) return;  // e.g. the event of this phone's own save
        if (!dirty(current) && !sending[key]) { swap(current, html); return; }
        var base = current.querySelector("input[name=base_version]");
        if (next && base && Number(next.dataset.version) > Number(base.value)) {
          var theirs = current.querySelector(".sim-theirs");
          var text = next.querySelector("textarea[name=text]") || next.querySelector(".sim-text");
          if (theirs && text) {
            theirs.querySelector("blockquote").textContent = text.value !== undefined ? text.value : text.textContent;
            theirs.hidden = false;
          }
        }
        var status = next.querySelector(".sim-status"), mine = current.querySelector(".sim-status");
        if (status && mine) mine.innerHTML = status.innerHTML;
      })
      .catch(function () {})
      .then(function () { loading[key] = null; if (again[key]) { again[key] = false; reload(key); } });
  }

  // When the event cannot say it all, only what the person can see is fetched at once: a phone
  // shows one or two of a sheet's twenty elements. An element out of view is marked stale and
  // fetched when it scrolls near the screen.
  var MARGIN = 1;  // screens above and below the visible one that count as "near"
  function near(entry) {
    var box = entry.getBoundingClientRect(), height = window.innerHeight || 800;
    return box.bottom > -MARGIN * height && box.top < (1 + MARGIN) * height;
  }
  var watcher = window.IntersectionObserver ? new IntersectionObserver(function (seen) {
    seen.forEach(function (one) {
      if (!one.isIntersecting || !one.target.hasAttribute("data-stale")) return;
      one.target.removeAttribute("data-stale");
      watcher.unobserve(one.target);
      reload(one.target.dataset.simEntry);
    });
  }, {rootMargin: (MARGIN * 100) + "% 0px"}) : null;

  // --- A change shown from its event -------------------------------------------------------------
  // The event says what every phone at the table shows of the element (data.shown: the text, its
  // status, who changed it and when): this phone writes it in its own words (the sheet's
  // data-say-*, as phone_entry.html words it) without asking the server -- 300 phones fetching
  // after every change kept the server too busy to pass the changes on. The element is fetched
  // instead when the event cannot say it all: two versions waiting (in the event or on screen), a
  // text too long for an event, an element already waiting for or under a fetch (whose answer
  // must not land over a newer change).
  function words(name) {
    var sheet = screen.querySelector(".sim-sheet");
    return (sheet && sheet.getAttribute("data-say-" + name)) || "";
  }
  function textInto(node, text) {  // as |linebreaksbr
    node.textContent = "";
    String(text).split("\n").forEach(function (line, i) {
      if (i) node.appendChild(document.createElement("br"));
      node.appendChild(document.createTextNode(line));
    });
  }
  function statusInto(entry, shown, buttons) {
    var line = entry.querySelector(".sim-status"), strong = document.createElement("strong");
    if (!line) return;
    strong.textContent = words("status-" + shown.status);
    line.textContent = words("status") + " ";
    line.appendChild(strong);
    if (shown.by_name) {
      line.appendChild(document.createTextNode(" · " + words("changed").replace(/\{(name|time)\}/g, function (all, part) {
        return part === "name" ? shown.by_name : shown.at;
      })));
    }
    if (!buttons) return;
    entry.querySelectorAll("form[data-sim-sheet] button.sim-mark").forEach(function (button) {
      var on = button.value === shown.status;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = (on ? "✓ " : "") + words("status-" + button.value);
    });
  }
  function ownChild(entry, className) {
    for (var i = 0; i < entry.children.length; i++) {
      if (entry.children[i].classList.contains(className)) return entry.children[i];
    }
    return null;
  }

  function fromEvent(entry, data) {
    var shown = data.shown, key = entry.dataset.simEntry;
    if (!shown || typeof shown.text !== "string" || !words("status-" + shown.status) || !words("changed")) return false;
    if (entry.querySelector(".sim-conflict") || loading[key] || entry.hasAttribute("data-stale")) return false;
    var version = Number(data.version), base = entry.querySelector("input[name=base_version]");
    if (version < Number(entry.dataset.version)) return true;  // an older change (a replay): already shown
    if (dirty(entry) || sending[key]) {
      // Unsent words stay in the box: say that someone changed the text, and show theirs.
      var theirs = entry.querySelector(".sim-theirs");
      if (theirs && base && version > Number(base.value)) {
        theirs.querySelector("blockquote").textContent = shown.text;
        theirs.hidden = false;
      }
      statusInto(entry, shown, false);
      return true;
    }
    entry.dataset.version = String(version);
    var said = ownChild(entry, "saved") || ownChild(entry, "problem");
    if (said) entry.removeChild(said);  // "Saved." was about this phone's own, earlier change
    var area = box(entry);
    if (area) {
      area.defaultValue = shown.text;
      area.value = shown.text;
      if (base) base.value = String(version);
      var others = entry.querySelector(".sim-theirs");
      if (others) others.hidden = true;
      pending(entry, "");
      problem(entry, "");
    }
    var read = ownChild(entry, "sim-text");
    if (read && shown.text) {
      textInto(read, shown.text);
    } else if (read) {
      read.innerHTML = "";
      var hint = document.createElement("span");
      hint.className = "hint";
      hint.textContent = words("nothing");
      read.appendChild(hint);
    }
    statusInto(entry, shown, true);
    return true;
  }

  document.addEventListener("live:sim.sheet", function (event) {
    var data = event.detail && event.detail.data;
    var s = sim();
    // This phone's own change: its answer already brought the element.
    if (data && data.by !== undefined && s && String(data.by) === person()) return;
    if (!data || !data.element) return;
    var key = String(data.element), entry = entryEl(key);
    if (!entry) return;
    if (fromEvent(entry, data)) return;
    if (!watcher || near(entry) || dirty(entry)) { reload(key); return; }
    entry.setAttribute("data-stale", "");
    watcher.observe(entry);
  });

  // --- Saving -----------------------------------------------------------------------------------
  function send(form, status) {
    var entry = entryOf(form), key = entry && entry.dataset.simEntry;
    if (!key) return;
    window.clearTimeout(timers[key]);
    if (sending[key]) { resend[key] = true; return; }
    var area = form.querySelector("textarea[name=text]"), resolving = form.hasAttribute("data-sim-resolve");
    var body = new FormData(form), text = area ? area.value : "";
    var token = screen.querySelector(".sim > input[name=csrfmiddlewaretoken]");
    if (!body.get("csrfmiddlewaretoken") && (token || (live && live.dataset.csrf))) {
      body.append("csrfmiddlewaretoken", token ? token.value : live.dataset.csrf);
    }
    if (status) body.append(resolving ? "keep" : "status", status);
    if (!resolving && area && text === area.defaultValue) {
      body.delete("text");
      if (!status) return;  // nothing new
    }
    if (navigator.onLine === false) { pending(entry, say("Offline")); return; }
    sending[key] = true;
    // url-encoded: the server reads it in a fraction of a multipart body's time.
    fetch(form.action, {method: "POST", body: new URLSearchParams(body), credentials: "same-origin", headers: {"X-Convene": "fetch"}})
      .then(function (r) {
        return r.text().then(function (html) { answered(key, r.status, html, text, resolving); });
      })
      .catch(function () { pending(entryEl(key), say("Offline")); })
      .then(function () {
        sending[key] = false;
        if (resend[key]) { resend[key] = false; var e = entryEl(key), f = e && e.querySelector("form[data-sim-sheet]"); if (f) send(f); }
      });
  }

  function answered(key, code, html, sent, resolving) {
    var entry = entryEl(key), next = fresh(html);
    if (!entry) return;
    if (next) {  // saved (200), or kept as a second version (409): the element as it now is
      var area = box(entry), typedMore = !resolving && area && area.value !== sent && code === 200;
      if (typedMore) {
        // Saved what was sent; the person typed on meanwhile: keep that, over the new version.
        area.defaultValue = sent;
        entry.querySelector("input[name=base_version]").value = next.dataset.version;
        entry.dataset.version = next.dataset.version;
        keepDraft(key, area.value, next.dataset.version);
        pending(entry, "");
        problem(entry, "");
        return;
      }
      dropDraft(key);
      swap(entry, html);
      return;
    }
    // Refused (phase over, observer, too long, two versions waiting): say so, keep the text.
    problem(entry, html);
    pending(entry, say("Refused"));
  }

  function schedule(form) {
    var entry = entryOf(form), key = entry.dataset.simEntry;
    window.clearTimeout(timers[key]);
    timers[key] = window.setTimeout(function () { send(form); }, DEBOUNCE_MS);
  }

  var lastClicked = null;
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("form[data-sim-sheet] button, form[data-sim-resolve] button");
    lastClicked = button || null;
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-sim-sheet") && !form.hasAttribute("data-sim-resolve")) return;
    event.preventDefault();
    var button = event.submitter || lastClicked;
    send(form, button && button.name ? button.value : null);
  });

  document.addEventListener("input", function (event) {
    var area = event.target, form = area.form;
    if (!form || !form.hasAttribute("data-sim-sheet") || area.name !== "text") return;
    var entry = entryOf(form);
    keepDraft(entry.dataset.simEntry, area.value, form.elements.base_version.value);
    pending(entry, navigator.onLine === false ? say("Offline") : "");
    schedule(form);
  });

  document.addEventListener("focusout", function (event) {
    var area = event.target, form = area.form;
    if (!form || !form.hasAttribute("data-sim-sheet") || area.name !== "text") return;
    if (area.value !== area.defaultValue) send(form);
  });

  // --- Coming back: after a reload, a new screen, or the network -------------------------------
  function restore() {
    draftKeys().forEach(function (key) {
      var draft = draftOf(key), entry = entryEl(key);
      if (!draft || !entry) return;
      var area = box(entry);
      if (!area) {
        // The sheet is read-only now (or two versions wait): show what was not saved.
        if (!entry.querySelector(".sim-unsaved") && draft.text) {
          var note = document.createElement("div");
          note.className = "sim-unsaved problem";
          var p = document.createElement("p");
          p.textContent = say("Unsaved");
          var q = document.createElement("blockquote");
          q.className = "sim-text";
          q.textContent = draft.text;
          var forget = document.createElement("button");
          forget.type = "button";
          forget.className = "button small secondary";
          forget.textContent = say("Forget");
          forget.addEventListener("click", function () { dropDraft(key); note.parentNode.removeChild(note); });
          note.appendChild(p);
          note.appendChild(q);
          note.appendChild(forget);
          entry.appendChild(note);
        }
        return;
      }
      if (draft.text === area.defaultValue) { dropDraft(key); return; }
      if (area.value !== draft.text) {
        area.value = draft.text;
        var base = entry.querySelector("input[name=base_version]");
        if (base && draft.base !== undefined) base.value = draft.base;  // typed over that version
      }
      pending(entry, say("Offline"));
      if (navigator.onLine !== false) send(area.form);
    });
  }

  function resendAll() {
    screen.querySelectorAll("form[data-sim-sheet]").forEach(function (form) {
      var area = form.querySelector("textarea[name=text]");
      if (area && area.value !== area.defaultValue) send(form);
    });
  }

  // The sheet's fragments are the same for the whole table: name this person's own version as theirs.
  function mine() {
    var s = sim(), who = person();
    if (!s || !who) return;
    screen.querySelectorAll('[data-by="' + who + '"][data-mine-text]').forEach(function (el) {
      el.textContent = el.dataset.mineText;
      el.removeAttribute("data-mine-text");
    });
  }
  new MutationObserver(function (changes) {
    mine();
    for (var i = 0; i < changes.length; i++) {
      if (changes[i].target === screen) { restore(); tick(); return; }
    }
  }).observe(screen, {childList: true, subtree: true});
  mine();
  window.addEventListener("online", resendAll);
  document.addEventListener("live:ready", resendAll);
  window.addEventListener("offline", function () {
    screen.querySelectorAll("[data-sim-entry]").forEach(function (entry) { if (dirty(entry)) pending(entry, say("Offline")); });
  });

  // --- The table's countdown (its own clock: the workshop's timer is another one) ---------------
  // A pause or resume comes as sim.phase: the core's phone.js loads the screen again with the new state.
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    screen.querySelectorAll("[data-sim-left]").forEach(function (t) {
      if (t.hasAttribute("data-sim-paused")) return;  // paused: the server's time left stands still
      if (!t.dataset.simUntil) {
        // A table's screen may have been rendered a while before it was sent (kept for the whole
        // table): with the server's clock when it was sent (data-now), the time left is counted
        // from the step's end, not from the rendering.
        var left0 = t.dataset.now && t.dataset.simEnds ? (Number(t.dataset.simEnds) - Number(t.dataset.now)) / 1000 : Number(t.dataset.simLeft || 0);
        t.dataset.simUntil = String(Date.now() + 1000 * Math.max(0, left0));
      }
      var left = Math.max(0, Math.ceil((Number(t.dataset.simUntil) - Date.now()) / 1000));
      var value = t.querySelector(".timer-value"), text = Math.floor(left / 60) + ":" + pad(left % 60);
      if (value && value.textContent !== text) value.textContent = text;
      t.classList.toggle("timer-low", left <= 30);
      var up = t.querySelector(".sim-up");
      if (!left && !up && t.dataset.simEnds) {
        up = document.createElement("span");
        up.className = "sim-up";
        up.textContent = " " + t.dataset.sayUp;
        t.appendChild(up);
      }
    });
  }
  window.setInterval(tick, 1000);
  tick();
  restore();
})();
