/* Live updates for a page. See intersector/live/README.md.
 *
 *   <div data-live-stream="/…/live" data-live-poll="/…/live/poll"
 *        data-live-events="note.added note.removed"
 *        data-live-last-event-id="{{ live_position }}"></div>
 *   <script src="{% static 'live/live.js' %}" defer></script>
 *
 * Every event becomes a CustomEvent "live:<name>" on document, with detail {id, data, element}.
 * "live:resync" means the page missed too much: reload what it shows from the server.
 * "live:ready" means the stream is connected. The element's data-live-state tells the page
 * "connecting", "live", "reconnecting", "polling" or "offline" (for a status message).
 * If the stream keeps failing (a network that breaks SSE), the page polls data-live-poll, and
 * tries the stream again after FIRST_TRY_MS, then after twice as long each time it fails (up to
 * LONGEST_WAIT_MS): a server restart or a tunnel also fails the stream a few times in a row, and
 * a phone should not poll (seconds late) for the rest of the workshop because of it.
 */
(function () {
  "use strict";

  var MAX_ERRORS = 3;
  var FIRST_TRY_MS = 2000;  // polling: the stream is tried again this soon, then back off
  var LONGEST_WAIT_MS = 60000;
  var TRIAL_MS = 10000;  // a stream tried again that brings no event by then is given up

  function withId(url, id) {
    if (!id) return url;
    return url + (url.indexOf("?") < 0 ? "?" : "&") + "last_event_id=" + encodeURIComponent(id);
  }

  function parse(text) {
    try { return JSON.parse(text || "{}"); } catch (e) { return {}; }
  }

  function follow(element) {
    var names = (element.dataset.liveEvents || "").split(/\s+/).filter(Boolean);
    var lastId = element.dataset.liveLastEventId || "";
    var pollMs = 1000 * (parseFloat(element.dataset.livePollSeconds) || 5);
    var errors = 0;
    // Polling: when to try the stream again, and how long to wait after that try fails. Each
    // wait is spread at random (±25 %) so a room of phones does not come back in one second.
    var tryAt = 0, wait = FIRST_TRY_MS;

    function tryLater() {
      tryAt = Date.now() + wait * (0.75 + Math.random() / 2);
      wait = Math.min(wait * 2, LONGEST_WAIT_MS);
    }

    function setState(state) { element.dataset.liveState = state; }

    function emit(name, id, data) {
      if (id) lastId = id;
      document.dispatchEvent(new CustomEvent("live:" + name, {
        detail: {id: id, data: data, element: element}
      }));
    }

    function poll() {
      var url = withId(element.dataset.livePoll, lastId);
      fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (body) {
          setState("polling");
          if (body.resync) {
            emit("resync", body.last_event_id, {});
          } else {
            body.events.forEach(function (event) { emit(event.event, event.id, event.data); });
          }
          lastId = body.last_event_id || lastId;
        })
        .catch(function () { setState("offline"); })
        .then(function () {
          var canStream = element.dataset.liveStream && window.EventSource;
          if (canStream && Date.now() >= tryAt) {
            stream(true);
          } else {
            window.setTimeout(poll, canStream ? Math.max(0, Math.min(pollMs, tryAt - Date.now())) : pollMs);
          }
        });
    }

    // trial: polling pauses while the stream is tried again; its first event ends polling for
    // good, an error or a silence of TRIAL_MS goes back to polling.
    function stream(trial) {
      var source = new EventSource(withId(element.dataset.liveStream, lastId));
      var silence = trial ? window.setTimeout(backToPolling, TRIAL_MS) : null;
      if (!trial) setState("connecting");
      function backToPolling() {
        window.clearTimeout(silence);
        source.close();
        tryLater();
        poll();
      }
      ["ready", "resync"].concat(names).forEach(function (name) {
        source.addEventListener(name, function (event) {
          if (trial) { trial = false; window.clearTimeout(silence); }
          errors = 0;
          wait = FIRST_TRY_MS;  // the stream works: a later failure starts the back-off afresh
          setState("live");
          emit(name, event.lastEventId, parse(event.data));
        });
      });
      source.onerror = function () {
        if (trial) { backToPolling(); return; }
        errors += 1;
        setState("reconnecting");
        var closed = source.readyState === EventSource.CLOSED;
        if (element.dataset.livePoll && (closed || errors >= MAX_ERRORS)) {
          source.close();
          tryLater();
          poll();
        } else if (closed) {
          window.setTimeout(function () { stream(false); }, pollMs);
        }
      };
    }

    if (window.EventSource && element.dataset.liveStream) {
      stream(false);
    } else if (element.dataset.livePoll) {
      poll();
    }
  }

  function start() {
    document.querySelectorAll("[data-live-stream], [data-live-poll]").forEach(follow);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
