/* Projector: reload the board when something changes, and make every screen fit.
 *
 * Events come in bursts (hundreds of phones writing at once): the board is fetched at most about
 * once a second, one request at a time, saying which event it has heard (?at=) so the server can
 * hand every screen the same rendering (projector.py). What did not change stays on screen: the
 * QR code is kept, cards already shown do not arrive again ([data-card] that is new gets
 * .p-new), bars grow from their old width ([data-share] with data-key).
 * Fitting: a [data-fit] box shrinks its type until its content fits; a [data-cards] list shows
 * the cards that fit and writes how many more there are in its [data-more] element.
 */
(function () {
  "use strict";
  var live = document.getElementById("live"), board = document.getElementById("board");
  var GAP_MS = 1000, GATHER_MS = 150, RETRY_MS = 5000, SMALLEST = 0.6;
  var heard = live.dataset.liveLastEventId || "", shown = "", lastStart = 0;
  var waiting = null, busy = false, again = false;

  function schedule(delay) {
    if (busy) { again = true; return; }
    if (waiting) return;
    var wait = delay || Math.max(GATHER_MS, lastStart + GAP_MS - Date.now());
    waiting = window.setTimeout(load, wait);
  }

  function load() {
    waiting = null;
    busy = true;
    again = false;
    lastStart = Date.now();
    var url = live.dataset.refresh + (heard ? "?at=" + encodeURIComponent(heard) : "");
    var retry = 0;
    fetch(url, {credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) return Promise.reject(response);
        return response.text().then(function (html) { show(html, response.headers.get("X-Served-At-Ms")); });
      })
      .catch(function () { retry = RETRY_MS; })
      .then(function () {
        busy = false;
        if (again || retry) schedule(retry);
      });
  }

  function show(html, now) {
    if (html === shown) return;
    shown = html;
    var next = document.createElement("template");
    next.innerHTML = html;
    var fresh = next.content;
    markNewCards(fresh);
    keepImages(fresh);
    if (now) fresh.querySelectorAll("[data-timer]").forEach(function (t) { t.dataset.now = now; });
    var widths = {};
    board.querySelectorAll("[data-share][data-key]").forEach(function (bar) { widths[bar.dataset.key] = bar.style.width; });
    board.replaceChildren(fresh);
    if (window.conveneTick) window.conveneTick();
    layout(widths);
  }

  function markNewCards(fresh) {
    var old = board.querySelectorAll("[data-card]");
    if (!old.length) return;  // a new screen: its cards are not news
    var seen = {};
    old.forEach(function (card) { seen[card.dataset.card] = true; });
    fresh.querySelectorAll("[data-card]").forEach(function (card) {
      if (!seen[card.dataset.card]) card.classList.add("p-new");
    });
  }

  // The same QR code again: keep the loaded image, so it never flickers.
  function keepImages(fresh) {
    fresh.querySelectorAll("img.p-qr").forEach(function (img) {
      var old = board.querySelector("img.p-qr");
      if (old && old.getAttribute("src") === img.getAttribute("src") && old.className === img.className) img.replaceWith(old);
    });
  }

  function layout(widths) {
    var bars = board.querySelectorAll("[data-share]");
    bars.forEach(function (bar) { bar.style.width = (widths ? widths[bar.dataset.key] : bar.style.width) || "0%"; });
    void board.offsetWidth;  // the old widths are laid out first, so the bars grow from them
    bars.forEach(function (bar) { bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.share) || 0)) + "%"; });
    board.querySelectorAll("[data-fit]").forEach(fit);
    board.querySelectorAll("[data-cards]").forEach(fitCards);
  }

  function overflows(box) { return box.scrollHeight > box.clientHeight + 1; }

  function fit(box) {
    var size = 1;
    box.style.setProperty("--fit", "1");
    while (overflows(box) && size > SMALLEST) {
      size = Math.round((size - 0.05) * 100) / 100;
      box.style.setProperty("--fit", String(size));
    }
  }

  // Where a card sits in the layout (offsets, not the box on screen: a card still fading in is
  // moved by its animation, and must not be counted as fitting because of that).
  function bottomIn(card, list) {
    var top = card.offsetParent === list ? card.offsetTop : card.offsetTop - list.offsetTop;
    return top + card.offsetHeight;
  }

  function fitCards(list) {
    var cards = list.querySelectorAll("[data-card]"), shownCards = 0, full = false;
    cards.forEach(function (card) { card.hidden = false; });
    cards.forEach(function (card) {
      full = full || bottomIn(card, list) > list.clientHeight + 1;
      card.hidden = full;
      if (!full) shownCards += 1;
    });
    var more = list.parentNode.querySelector("[data-more]");
    if (!more) return;
    var rest = (Number(list.dataset.total) || 0) - shownCards;
    more.hidden = rest <= 0;
    more.textContent = more.dataset.more.replace("NN", String(rest));
  }

  (live.dataset.liveEvents + " resync").split(" ").forEach(function (name) {
    if (!name) return;
    document.addEventListener("live:" + name, function (event) {
      if (event.detail && event.detail.id) heard = event.detail.id;
      schedule();
    });
  });
  window.addEventListener("resize", function () { layout(); });
  layout();
})();
