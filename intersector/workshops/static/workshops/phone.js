/* The participant's phone: follow the facilitator live, send what people write without losing it, count down. */
(function () {
  "use strict";
  var live = document.getElementById("live");
  var screen = document.getElementById("screen");
  var status = document.getElementById("connection");
  // The words come from the page, in the participant's language.
  var words = status ? {live: status.dataset.sayLive, polling: status.dataset.sayPolling, reconnecting: status.dataset.sayReconnecting,
    offline: status.dataset.sayOffline, connecting: status.dataset.sayConnecting} : {};
  var loading = null, again = null;
  // A text sent but not acknowledged (the answer was lost: a restart, a tunnel). The server may
  // have saved it, so sending the same text again must reuse its key, even after the screen was
  // reloaded meanwhile (a restart makes every phone reload it) and the new form has a new key.
  var unacknowledged = null;  // {key, text}

  // The box marked data-keep-typing keeps what the person is typing when the screen changes.
  function typing() { return document.querySelector("[data-keep-typing]"); }

  // Ticked boxes marked data-keep-checked (e.g. "ask anonymously") stay as the person left them.
  function checkedBoxes() {
    var kept = {};
    Array.prototype.forEach.call(document.querySelectorAll("input[data-keep-checked]"), function (box) { kept[box.id] = box.checked; });
    return kept;
  }

  // Where the focus was, as selectors to try in the new screen: the same control (its id), else
  // the ones it names in data-focus-next (e.g. "Take back" gone with the last vote: that
  // theme's "Vote"). Without this a keyboard or screen-reader user is thrown to the page's top.
  function focusPlaces(element) {
    if (!element || !element.id || !screen.contains(element)) return [];
    return [element.id].concat((element.dataset.focusNext || "").split(" ").filter(Boolean));
  }

  function refocus(places) {
    for (var i = 0; i < places.length; i++) {
      var found = document.getElementById(places[i]);
      // (a control inside a closed <details> takes no focus: then the next place is tried)
      if (found && screen.contains(found) && !found.disabled) { found.focus(); if (document.activeElement === found) return; }
    }
  }

  // A screen is not redrawn under a finger. A tap is a press, then a lift and a click on the same
  // button: a live event that redraws the screen in between (another person's yes, this
  // person's own parts arriving) takes the button away, and the tap is lost with nothing on the
  // screen to say so. Such a change waits until the finger is lifted and the tap has landed; a
  // finger resting on the screen holds it a second at most.
  var HOLD_MS = 1000, pressedAt = 0, held = [], heldTimer = null;
  function afterTap(change) {
    if (!pressedAt || Date.now() - pressedAt > HOLD_MS) { change(); return; }
    held.push(change);
    if (!heldTimer) { heldTimer = window.setTimeout(releaseHeld, HOLD_MS); }
  }
  function releaseHeld() {
    pressedAt = 0;
    if (heldTimer) { window.clearTimeout(heldTimer); heldTimer = null; }
    var changes = held;
    held = [];
    changes.forEach(function (change) { change(); });
  }
  function releaseSoon(wait) { if (pressedAt) { window.setTimeout(releaseHeld, wait); } }
  screen.addEventListener("pointerdown", function () { pressedAt = Date.now(); }, true);
  // The click comes after the lift (on a touch screen a moment later): its handlers run first.
  document.addEventListener("click", function () { releaseSoon(0); }, true);
  document.addEventListener("pointerup", function () { releaseSoon(150); }, true);
  document.addEventListener("pointercancel", function () { releaseSoon(0); }, true);

  function replace(html, clear, places, offset) {
    var box = typing(), kept = box && !clear ? box.value : "", focused = box && document.activeElement === box;
    var ticks = checkedBoxes();
    places = places || focusPlaces(document.activeElement);
    screen.innerHTML = html;
    if (offset !== undefined) {  // a pushed screen: this phone's known clock offset (see pageOffset)
      Array.prototype.forEach.call(screen.querySelectorAll("[data-timer]"), function (timer) { timer.dataset.offset = String(offset); });
    }
    completeForms();
    refocus(places);
    Object.keys(ticks).forEach(function (id) { var tick = document.getElementById(id); if (tick) { tick.checked = ticks[id]; } });
    box = typing();
    if (box && kept) { box.value = kept; }
    var key = screen.querySelector("form[data-clear-on-save] input[name=key]");
    if (unacknowledged && key && kept === unacknowledged.text) {
      key.value = unacknowledged.key;
    } else {
      unacknowledged = null;  // that text is gone or rewritten: a new one takes the new key
    }
    if (box && (focused || clear)) { box.focus(); }
    if (window.conveneTick) window.conveneTick();
    fillMineLater();
  }

  // A screen rendered once for the whole room (data-shared, workshops/screens.py) has no one's
  // token or form key in its forms: the phone adds its own.
  function completeForms() {
    Array.prototype.forEach.call(screen.querySelectorAll("form[method=post]"), function (form) {
      if (!form.querySelector("input[name=csrfmiddlewaretoken]") && live.dataset.csrf) {
        var token = document.createElement("input");
        token.type = "hidden"; token.name = "csrfmiddlewaretoken"; token.value = live.dataset.csrf;
        form.insertBefore(token, form.firstChild);
      }
      var key = form.querySelector("input[name=key]");
      if (key && !key.value) { key.value = newKey(); }
    });
  }

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // A shared screen's own parts (data-mine="<name>": this person's notes, count, votes) come
  // from the phone's own request, after a random wait of up to data-mine-spread ms: a console
  // change must not bring 1,000 such requests in the same second. They fill only the screen
  // they were made for (data-mine-for); the selects they name keep a choice already made.
  // Controls marked data-wait-mine (Vote) stay disabled until then; a failed request is tried
  // again a few seconds later, so they never stay disabled for good.
  var mineTimer = null;
  function fillMineLater(retry, now) {
    if (mineTimer) { window.clearTimeout(mineTimer); mineTimer = null; }
    var content = document.getElementById("screen-content");
    if (!content || !content.dataset.mineFor || !screen.querySelector("[data-mine]")) return;
    var wanted = content.dataset.mineFor;
    var wait = now ? 0 : retry ? 3000 + Math.random() * 3000 : Math.random() * Number(content.dataset.mineSpread || 0);
    mineTimer = window.setTimeout(function () {
      mineTimer = null;
      fetch(live.dataset.personal, {credentials: "same-origin", headers: {"X-Convene": "fetch"}})
        .then(function (r) { return r.status === 200 ? r.text() : Promise.reject(r); })
        .then(function (html) { fillMine(wanted, html); })
        .catch(function () {
          var now = document.getElementById("screen-content");
          if (now && now.dataset.mineFor === wanted && screen.querySelector("[data-wait-mine]:disabled")) { fillMineLater(true); }
        });
    }, wait);
  }

  function fillMine(wanted, html) {
    afterTap(function () {
      var content = document.getElementById("screen-content");
      var parts = new DOMParser().parseFromString(html, "text/html").querySelector("[data-mine-for]");
      if (!content || content.dataset.mineFor !== wanted || !parts || parts.dataset.mineFor !== wanted) return;
      fillSlots(parts, focusPlaces(document.activeElement));
    });
  }

  function fillSlots(parts, places) {
    Array.prototype.forEach.call(screen.querySelectorAll("[data-mine]"), function (slot) {
      var part = parts.querySelector('[data-mine="' + CSS.escape(slot.dataset.mine) + '"]');
      slot.innerHTML = part ? part.innerHTML : "";
    });
    Array.prototype.forEach.call(parts.querySelectorAll("[data-mine-select]"), function (choice) {
      var select = document.getElementById(choice.dataset.mineSelect);
      if (select && !select.dataset.picked && document.activeElement !== select &&
          select.querySelector('option[value="' + CSS.escape(choice.value) + '"]')) { select.value = choice.value; }
    });
    // Now that this person's own parts are in, the controls that waited for them work, except
    // those the parts say stay disabled (data-mine-keep-disabled: no votes left).
    var kept = (parts.dataset.mineKeepDisabled || "").split(" ");
    Array.prototype.forEach.call(screen.querySelectorAll("[data-wait-mine]"), function (control) {
      control.disabled = kept.indexOf(control.dataset.waitMine) >= 0;
    });
    completeForms();
    refocus(places);
  }
  // The answer to a new note (a form marked data-note-answer) brings that note alone, with the
  // heading and the line about this round's earlier notes: it goes after the notes on screen,
  // which keep the latest data-mine-shown. A phone that then lists fewer or more than the answer
  // says (it missed an answer, or the note is not of this round) asks for its own parts at once.
  function addNote(parts, places) {
    var slot = screen.querySelector('[data-mine="my-notes"]'), part = parts.querySelector('[data-mine="my-notes"]');
    var count = Number(parts.dataset.mineAdded), shown = Number(parts.dataset.mineShown);
    if (!slot || !part || !part.querySelector("ul.my-notes > li")) { fillMineLater(false, true); return; }
    var list = slot.querySelector("ul.my-notes");
    slot.innerHTML = part.innerHTML;
    var added = slot.querySelector("ul.my-notes");
    if (list) {
      Array.prototype.slice.call(added.children).forEach(function (note) {
        if (!list.querySelector('li[data-note="' + CSS.escape(note.dataset.note || "") + '"]')) { list.appendChild(note); }
      });
      while (list.children.length > shown) { list.removeChild(list.firstElementChild); }
      added.replaceWith(list);
    }
    completeForms();
    refocus(places);
    if (slot.querySelector("ul.my-notes").children.length !== Math.min(count, shown)) { fillMineLater(false, true); }
  }

  screen.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT") { event.target.dataset.picked = "1"; }
  });

  // The new screen after an event: the shared one for the event's position in the workshop's
  // phone topic (the first of the stream's positions, Workshop.phone_topics), or, for a screen
  // shared by the phone's table (data-screens-whole), its position in every topic it follows;
  // the server answers with this phone's own screen when the running item has no shared one.
  function screenUrl(event) {
    var id = event && event.detail && event.detail.id ? String(event.detail.id) : "";
    var position = live.hasAttribute("data-screens-whole") ? id : id.split(",")[0];
    return live.dataset.screens && position ? live.dataset.screens + encodeURIComponent(position) : live.dataset.refresh;
  }

  function load(url) {
    if (loading) { again = url; return; }
    var startedAt = pushes;
    loading = fetch(url, {credentials: "same-origin", headers: {"X-Convene": "fetch"}})
      .then(function (r) {
        if (r.ok) { follow(r.headers.get("X-Screens"), r.headers.get("X-Screens-Whole")); }
        return r.ok ? r.text().then(function (html) { return [html, r.headers.get("X-Served-At-Ms")]; }) : Promise.reject(r);
      })
      .then(function (answer) {
        if (startedAt !== pushes) return;  // a screen pushed meanwhile is at least as new
        afterTap(function () {
          if (startedAt !== pushes) return;
          replace(answer[0]);
          // A kept screen's countdown takes the server's clock from when this copy was sent.
          if (answer[1]) {  // (and a kind's own countdown marked data-served-clock)
            Array.prototype.forEach.call(screen.querySelectorAll("[data-timer], [data-served-clock]"), function (timer) {
              timer.dataset.now = answer[1];
              delete timer.dataset.offset;
            });
            if (window.conveneTick) window.conveneTick();
          }
        });
      })
      .catch(function () {})
      .then(function () { loading = null; if (again) { var next = again; again = null; load(next); } });
  }

  function refresh(event) { load(screenUrl(event)); }

  // The server answered an address that is not this phone's any more (moved to another table,
  // the table's seats changed, a new item shared by the whole room) with this phone's own screen,
  // and says where its shared screens are now: ask there from the next change on.
  function follow(address, whole) {
    if (!address || !live) return;
    live.dataset.screens = address;
    if (whole === "1") { live.setAttribute("data-screens-whole", ""); } else { live.removeAttribute("data-screens-whole"); }
  }

  // The room's new screen in the event itself (workshops/screens.py push_screen), in this
  // phone's language: shown at once when nothing can be missing from it, i.e. its event comes
  // straight after the position it was rendered at (`asof`, same server life). Otherwise (another
  // change slipped in between, a kind whose phones each see their own screen, an event too big)
  // the phone asks for the screen at the event's position, as before.
  var pushes = 0;
  function pushedScreen(event) {
    var data = event && event.detail && event.detail.data;
    var html = data && data.screens && data.screens[live.dataset.language];
    if (!html || !data.asof || !event.detail.id) return null;
    var at = String(event.detail.id).split(",")[0], asof = String(data.asof);
    var cut = at.lastIndexOf("-"), asofCut = asof.lastIndexOf("-");
    var sameLife = cut > 0 && asofCut > 0 && at.slice(0, cut) === asof.slice(0, asofCut);
    return sameLife && Number(at.slice(cut + 1)) === Number(asof.slice(asofCut + 1)) + 1 ? html : null;
  }

  // This device's clock against the server's, sampled when the page came (data-now, at the middle
  // of its request), for the countdown of a pushed screen: its own data-now is when it was
  // rendered, which a replayed or polled event brings late (timer.js says why that must not count).
  var pageOffset = (function () {
    var nav = window.performance && performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    var sampled = nav && nav.responseStart && performance.timeOrigin ? performance.timeOrigin + (nav.requestStart + nav.responseStart) / 2 : Date.now();
    return live && live.dataset.now ? Number(live.dataset.now) - sampled : undefined;
  })();

  function screenChanged(event) {
    var html = pushedScreen(event);
    if (!html) { refresh(event); return; }
    pushes += 1;
    again = null;  // a fetch still queued is for an older screen
    var pushed = pushes;
    afterTap(function () { if (pushed === pushes) { replace(html, false, null, pageOffset); } });
  }

  document.addEventListener("live:screen.changed", screenChanged);
  // A resync (missed events, a restart): this phone's own screen, rebuilt from the database.
  document.addEventListener("live:resync", function () { load(live.dataset.refresh); });
  // timer.js sets the countdown from the event itself; only a screen without one reloads.
  document.addEventListener("live:timer.changed", function (event) {
    if (!document.querySelector("[data-timer]")) { refresh(event); }
  });
  // A kind's own events refresh a screen that shows data-live-refresh="<event>".
  live.dataset.liveEvents.split(" ").forEach(function (name) {
    document.addEventListener("live:" + name, function (event) {
      if (document.querySelector('[data-live-refresh~="' + name + '"]')) { refresh(event); }
    });
  });
  // A part marked data-live-fragment="<event> ..." reloads only itself (data-fragment-url) on those
  // events, late and spread out: the wait for each event (data-fragment-delays, JSON, in ms; else
  // data-fragment-delay) plus up to data-fragment-spread ms at random. Busy events (votes,
  // moderation) reach hundreds of phones, which must neither all ask in the same second nor ask
  // once per change. One reload covers every event heard while it waits; an event that needs a
  // later reload moves it later.
  var partTimer = null, partDue = 0;
  function reloadPartLater(name) {
    var part = document.querySelector('[data-live-fragment~="' + name + '"]');
    if (!part) return;
    var delays = {};
    try { delays = JSON.parse(part.dataset.fragmentDelays || "{}"); } catch (e) { delays = {}; }
    var wait = Number(delays[name] || part.dataset.fragmentDelay || 3000);
    var due = Date.now() + wait + Math.random() * Number(part.dataset.fragmentSpread || 2000);
    if (partTimer && partDue >= Date.now() + wait) return;  // the planned reload is late enough
    if (partTimer) { window.clearTimeout(partTimer); }
    partDue = due;
    partTimer = window.setTimeout(function () {
      partTimer = null;
      var now = document.querySelector('[data-live-fragment~="' + name + '"]');
      if (!now || loading) return;  // gone, or the whole screen is reloading anyway
      fetch(now.dataset.fragmentUrl, {credentials: "same-origin", headers: {"X-Convene": "fetch"}})
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r); })
        .then(function (html) {
          if (!document.body.contains(now)) return;
          // Someone moving through the list by keyboard keeps their place: the element they were
          // on (its id or data-focus-key) gets the focus back in the new list.
          var active = document.activeElement, key = null;
          if (active && now.contains(active)) {
            key = active.id ? "#" + CSS.escape(active.id)
              : active.dataset.focusKey ? '[data-focus-key="' + CSS.escape(active.dataset.focusKey) + '"]' : null;
          }
          now.innerHTML = html;
          var again = key && now.querySelector(key);
          if (again) { again.focus(); }
        })
        .catch(function () {});
    }, due - Date.now());
  }
  live.dataset.liveEvents.split(" ").forEach(function (name) {
    document.addEventListener("live:" + name, function () { reloadPartLater(name); });
  });
  // A new seat means another table's stream: load the page again (keeping any typed text).
  document.addEventListener("live:seat.changed", function (event) {
    var who = event.detail.data.participant;
    if (!who || String(who) === live.dataset.participant) {
      var box = typing();
      if (box && box.value) { refresh(); return; }
      window.location.reload();
    }
  });

  if (live && status) {
    new MutationObserver(function () {
      status.textContent = words[live.dataset.liveState] || "";
    }).observe(live, {attributes: true, attributeFilter: ["data-live-state"]});
  }

  // A refusal's words, as plain text: our own refusals come as <p class="problem">; anything
  // else (a proxy's error page, a 404 page) is never put into the screen, only a plain message.
  function problemText(html) {
    var found = new DOMParser().parseFromString(html || "", "text/html").querySelector("p.problem");
    var text = found && found.textContent.trim();
    return text && text.length < 500 ? text : (status ? status.dataset.sayFailed : "");
  }

  window.conveneProblemText = problemText;  // kinds' own scripts say refusals the same way

  function showProblem(form, text) {
    var slot = form.querySelector(".problem-slot");
    if (!slot) {
      slot = document.createElement("div");
      slot.className = "problem-slot";
      slot.setAttribute("role", "alert");
      form.parentNode.insertBefore(slot, form);
    }
    var p = document.createElement("p");
    p.className = "problem";
    p.textContent = text;
    slot.replaceChildren(p);
  }

  // A form marked data-mine-answer="<its screen's mine-for>" (adding, changing or deleting a
  // note, a vote and taking it back) is answered with its person's own parts only (the "mine"
  // partial, its data-saved the words to show), not the whole screen: they fill the screen's own
  // slots, the note box empties for the next note with a new key. The words go before the form,
  // or before the slot it was in when the new parts replaced it (a note's Change, a Take back).
  // A new note's answer brings that note alone (addNote). If the screen has moved on
  // meanwhile, the phone's own screen is loaded instead. False when
  // the answer is a whole screen (replace() shows it).
  function ownPartsSaved(form, html, places) {
    if (!form.dataset.mineAnswer) return false;
    var parts = new DOMParser().parseFromString(html, "text/html").querySelector("[data-mine-for]");
    if (!parts) return false;
    var content = document.getElementById("screen-content"), box = form.querySelector("[data-keep-typing]");
    if (box) { box.value = ""; }
    if (!content || !content.contains(form) || parts.dataset.mineFor !== form.dataset.mineAnswer) {
      load(live.dataset.refresh);
      return true;
    }
    var said = content.querySelector("p.saved");
    if (said) { said.remove(); }
    // What an earlier try said went wrong is over now (showProblem's slot is in the form or just before it).
    var before = form.previousElementSibling;
    [form.querySelector(".problem-slot"), before && before.classList.contains("problem-slot") ? before : null].forEach(function (problem) {
      if (problem) { problem.replaceChildren(); }
    });
    if (form.elements.key) { form.elements.key.value = newKey(); }
    var slot = form.closest("[data-mine]");
    if (parts.hasAttribute("data-mine-added")) { addNote(parts, places); } else { fillSlots(parts, places); }
    if (parts.dataset.saved) {
      said = document.createElement("p");
      said.className = "saved";
      said.setAttribute("role", "status");
      said.textContent = parts.dataset.saved;
      var place = content.contains(form) ? form : slot;
      if (place && place.parentNode) { place.parentNode.insertBefore(said, place); }
    }
    if (box) { box.focus(); }
    return true;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-async") || !window.fetch) return;
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    var places = focusPlaces(document.activeElement === document.body ? button : document.activeElement);
    if (button) { if (button.disabled) return; button.disabled = true; }
    var clears = form.hasAttribute("data-clear-on-save"), text = clears && form.querySelector("[data-keep-typing]");
    if (text && form.elements.key) {
      unacknowledged = {key: form.elements.key.value, text: text.value};
    }
    // getAttribute: a field named "action" (e.g. Take back's) shadows form.action.
    var headers = {"X-Convene": "fetch"};
    if (form.dataset.mineAnswer) { headers["X-Convene-Answer"] = form.hasAttribute("data-note-answer") ? "note" : "mine"; }
    // Sent as the form itself would be: url-encoded unless it carries a file. The server reads
    // a url-encoded body in a fraction of a multipart one's time (a room of 1,000 writes 100 notes a second).
    var body = new FormData(form);
    if (form.enctype !== "multipart/form-data" && !form.querySelector("input[type=file]")) { body = new URLSearchParams(body); }
    fetch(form.getAttribute("action"), {method: "POST", body: body, credentials: "same-origin", headers: headers})
      .then(function (r) {
        return r.text().then(function (html) {
          if (r.ok) {
            if (clears) { unacknowledged = null; }
            // The server saved it: only now does the screen say so (data-clear-on-save: and
            // empties the box for the next one).
            if (!ownPartsSaved(form, html, places)) { replace(html, clears, places); }
            // Own parts say whether a button that waits for them works (no votes left): keep that.
            else if (button && button.hasAttribute("data-wait-mine")) { button = null; }
          } else {
            showProblem(form, problemText(html));
          }
        });
      })
      .catch(function () {
        showProblem(form, status ? status.dataset.sayNotSent : "");
      })
      .then(function () {
        if (button && document.body.contains(button)) {
          button.disabled = false;
          // Disabling the pressed button took the focus away from it: give it back.
          if (document.activeElement === document.body) { button.focus(); }
        }
      });
  });

})();
