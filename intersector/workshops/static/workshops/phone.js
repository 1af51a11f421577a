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
      if (found && screen.contains(found) && !found.disabled) { found.focus(); return; }
    }
  }

  function replace(html, clear, places) {
    var box = typing(), kept = box && !clear ? box.value : "", focused = box && document.activeElement === box;
    var ticks = checkedBoxes();
    places = places || focusPlaces(document.activeElement);
    screen.innerHTML = html;
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
  var mineTimer = null;
  function fillMineLater() {
    if (mineTimer) { window.clearTimeout(mineTimer); mineTimer = null; }
    var content = document.getElementById("screen-content");
    if (!content || !content.dataset.mineFor || !screen.querySelector("[data-mine]")) return;
    var wanted = content.dataset.mineFor;
    mineTimer = window.setTimeout(function () {
      mineTimer = null;
      fetch(live.dataset.personal, {credentials: "same-origin", headers: {"X-Convene": "fetch"}})
        .then(function (r) { return r.status === 200 ? r.text() : Promise.reject(r); })
        .then(function (html) { fillMine(wanted, html); })
        .catch(function () {});
    }, Math.random() * Number(content.dataset.mineSpread || 0));
  }

  function fillMine(wanted, html) {
    var content = document.getElementById("screen-content");
    var parts = new DOMParser().parseFromString(html, "text/html").querySelector("[data-mine-for]");
    if (!content || content.dataset.mineFor !== wanted || !parts || parts.dataset.mineFor !== wanted) return;
    var places = focusPlaces(document.activeElement);
    Array.prototype.forEach.call(screen.querySelectorAll("[data-mine]"), function (slot) {
      var part = parts.querySelector('[data-mine="' + CSS.escape(slot.dataset.mine) + '"]');
      slot.innerHTML = part ? part.innerHTML : "";
    });
    Array.prototype.forEach.call(parts.querySelectorAll("[data-mine-select]"), function (choice) {
      var select = document.getElementById(choice.dataset.mineSelect);
      if (select && !select.dataset.picked && document.activeElement !== select &&
          select.querySelector('option[value="' + CSS.escape(choice.value) + '"]')) { select.value = choice.value; }
    });
    completeForms();
    refocus(places);
  }
  screen.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT") { event.target.dataset.picked = "1"; }
  });

  // The new screen after an event: the shared one for the event's position in the workshop's
  // phone topic (the first of the stream's positions, Workshop.phone_topics); the server answers
  // with this phone's own screen when the running item has no shared one.
  function screenUrl(event) {
    var position = event && event.detail && event.detail.id ? String(event.detail.id).split(",")[0] : "";
    return live.dataset.screens && position ? live.dataset.screens + encodeURIComponent(position) : live.dataset.refresh;
  }

  function load(url) {
    if (loading) { again = url; return; }
    loading = fetch(url, {credentials: "same-origin", headers: {"X-Convene": "fetch"}})
      .then(function (r) {
        return r.ok ? r.text().then(function (html) { return [html, r.headers.get("X-Served-At-Ms")]; }) : Promise.reject(r);
      })
      .then(function (answer) {
        replace(answer[0]);
        // A kept screen's countdown takes the server's clock from when this copy was sent.
        if (answer[1]) {
          Array.prototype.forEach.call(screen.querySelectorAll("[data-timer]"), function (timer) {
            timer.dataset.now = answer[1];
            delete timer.dataset.offset;
          });
          if (window.conveneTick) window.conveneTick();
        }
      })
      .catch(function () {})
      .then(function () { loading = null; if (again) { var next = again; again = null; load(next); } });
  }

  function refresh(event) { load(screenUrl(event)); }

  document.addEventListener("live:screen.changed", refresh);
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
    fetch(form.getAttribute("action"), {method: "POST", body: new FormData(form), credentials: "same-origin", headers: {"X-Convene": "fetch"}})
      .then(function (r) {
        return r.text().then(function (html) {
          if (r.ok) {
            if (clears) { unacknowledged = null; }
            // The server saved it: only now does the screen say so (data-clear-on-save: and
            // empties the box for the next one).
            replace(html, clears, places);
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
