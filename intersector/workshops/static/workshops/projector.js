/* Projector: reload the board when something changes, and make every screen fit.
 *
 * Events come in bursts (hundreds of phones writing at once): the board is fetched at most about
 * once a second, one request at a time, saying which event it has heard (?at=) so the server can
 * hand every screen the same rendering (projector.py). What did not change stays on screen: the
 * QR code is kept, cards already shown do not arrive again ([data-card] that is new gets
 * .p-new), bars grow from their old width ([data-share] with data-key).
 * Fitting: a [data-fit] box shrinks its type until its content fits; a [data-cards] list shows
 * the cards that fit and writes how many more there are in its [data-more] element.
 * Paging: a [data-pages] list in a [data-fit] box (the themes with their bars, the top questions,
 * the tables side by side) that does not fit, even a little smaller, is cut into pages that fit,
 * shown in turn every 10 seconds with "Page 2 of 3"; "Hold this page" stops the turning until
 * pressed again (the facilitator, at the projector's keyboard or mouse). A reloaded board keeps
 * the page it was on. With reduced motion, pages change without fading.
 */
(function () {
  "use strict";
  var live = document.getElementById("live"), board = document.getElementById("board");
  var GAP_MS = 1000, GATHER_MS = 150, RETRY_MS = 5000, SMALLEST = 0.6, PAGED_SMALLEST = 0.8, PAGE_MS = 10000;
  var paging = {key: "", page: 0, pages: 1, held: false};  // kept across reloads of the board
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
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
    var focused = document.activeElement && board.contains(document.activeElement) ? document.activeElement.id : "";
    board.replaceChildren(fresh);
    if (window.conveneTick) window.conveneTick();
    layout(widths);
    var again = focused && document.getElementById(focused);
    if (again) again.focus();  // the hold button stays under the facilitator's hand
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
    board.querySelectorAll("[data-fit]").forEach(function (box) {
      var lists = box.querySelectorAll("[data-pages]");
      if (lists.length) fitPaged(box, lists[lists.length - 1]); else fit(box);
    });
    board.querySelectorAll("[data-cards]").forEach(fitCards);
  }

  function overflows(box) { return box.scrollHeight > box.clientHeight + 1; }

  function fit(box, smallest, from) {
    var size = from || 1;
    box.style.setProperty("--fit", String(size));
    while (overflows(box) && size > (smallest || SMALLEST)) {
      size = Math.round((size - 0.05) * 100) / 100;
      box.style.setProperty("--fit", String(size));
    }
    return size;
  }

  // --- Pages ------------------------------------------------------------------------------------
  function items(list) { return Array.prototype.slice.call(list.children).filter(function (c) { return !c.matches(".p-pager"); }); }
  function showRange(all, start, end) { all.forEach(function (item, i) { item.hidden = i < start || i >= end; }); }
  function tooBig(box, list) { return overflows(box) || overflows(list); }

  // The pages of a list, [start, end) each: as many items as fit, found by halving (a few
  // layouts per page, even for a hundred tables).
  function cut(box, list, all) {
    var pages = [], start = 0;
    while (start < all.length) {
      var low = start + 1, high = all.length;
      while (low < high) {
        var middle = Math.ceil((low + high) / 2);
        showRange(all, start, middle);
        if (tooBig(box, list)) high = middle - 1; else low = middle;
      }
      pages.push([start, low]);
      start = low;
    }
    return pages;
  }

  function fitPaged(box, list) {
    var all = items(list), old = box.querySelector(".p-pager");
    if (old) old.remove();
    showRange(all, 0, all.length);
    var size = fit(box, PAGED_SMALLEST);
    var key = list.dataset.pages;
    if (key !== paging.key) paging = {key: key, page: 0, pages: 1, held: false};
    if (!tooBig(box, list) || all.length < 2) { paging.pages = 1; fit(box, SMALLEST, size); return; }
    var pager = pagerFor(list);
    list.parentNode.insertBefore(pager, list);
    var pages = cut(box, list, all);
    paging.pages = pages.length;
    paging.page = Math.min(paging.page, pages.length - 1);
    list.pagesCut = pages;
    showPage(box, list, pager);
  }

  // `turned`: the page changed (the timer, a key). Only then does it fade in: a board rebuilt by
  // a live change shows its page at once, never half-transparent (low contrast, and a flicker).
  function showPage(box, list, pager, turned) {
    var range = list.pagesCut[paging.page];
    showRange(items(list), range[0], range[1]);
    pager.querySelector(".p-pager-at").textContent = board.dataset.sayPage
      .replace("{n}", paging.page + 1).replace("{total}", paging.pages);
    var hold = pager.querySelector("button");
    hold.textContent = paging.held ? board.dataset.sayGoOn : board.dataset.sayHold;
    hold.setAttribute("aria-pressed", paging.held ? "true" : "false");
    fit(box, SMALLEST, Number(box.style.getPropertyValue("--fit")) || 1);  // one very long item
    list.classList.remove("p-page-in");
    if (turned && !still) {
      void list.offsetWidth;
      list.classList.add("p-page-in");
    }
  }

  function pagerFor(list) {
    var pager = document.createElement("div"), at = document.createElement("p"), hold = document.createElement("button");
    pager.className = "p-pager";
    at.className = "p-pager-at";
    hold.type = "button";
    hold.id = "p-hold";
    hold.addEventListener("click", function () {
      paging.held = !paging.held;
      showPage(list.closest("[data-fit]"), list, pager);
    });
    pager.append(at, hold);
    return pager;
  }

  function turn(step) {
    var lists = board.querySelectorAll("[data-fit] [data-pages]");
    var list = lists.length ? lists[lists.length - 1] : null;
    var pager = list && list.parentNode.querySelector(".p-pager");
    if (!pager || paging.pages < 2) return;
    paging.page = (paging.page + step + paging.pages) % paging.pages;
    showPage(list.closest("[data-fit]"), list, pager, true);
  }
  window.setInterval(function () { if (!paging.held) turn(1); }, PAGE_MS);
  // At the projector's keyboard: the arrow keys turn the pages by hand.
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "ArrowRight" || e.key === "PageDown") turn(1);
    else if (e.key === "ArrowLeft" || e.key === "PageUp") turn(-1);
  });

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
