// Live sessions: follows the session over SignalR and refreshes the parts of the page that changed.
// Progressive enhancement only: without this file every page still works by its Refresh link.
(function () {
  "use strict";
  var root = document.querySelector("[data-workshop]");
  if (!root || !window.signalR) {
    return;
  }
  var status = document.querySelector("[data-workshop-status]");

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  // Fetches this page again and swaps in the live parts named by the event ("item" swaps them all).
  var pending = null;
  function refresh(kind) {
    if (pending) {
      pending.kinds.add(kind);
      return pending.promise;
    }
    var kinds = new Set([kind]);
    var promise = fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live]").forEach(function (part) {
          var tags = part.getAttribute("data-live").split(" ");
          var wanted = kinds.has("item") || tags.some(function (t) { return kinds.has(t); });
          var replacement = part.id ? fresh.getElementById(part.id) : null;
          if (wanted && replacement) {
            part.replaceWith(document.importNode(replacement, true));
          }
        });
        tick();
      })
      .catch(function () {
        say("The page could not update itself: use the Refresh link.");
      })
      .finally(function () {
        pending = null;
      });
    pending = { kinds: kinds, promise: promise };
    return promise;
  }

  function tick() {
    document.querySelectorAll("[data-timer-ends]").forEach(function (el) {
      var left = Math.max(0, Math.ceil((Date.parse(el.getAttribute("data-timer-ends")) - Date.now()) / 1000));
      var text = left === 0 ? "time is up" : Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (el.textContent !== text) {
        el.textContent = text;
      }
    });
  }
  window.setInterval(tick, 1000);

  var connection = new signalR.HubConnectionBuilder()
    .withUrl(root.getAttribute("data-hub"))
    .withAutomaticReconnect()
    .build();

  connection.on("item", function (item) {
    refresh("item").then(function () {
      say("The session moved to item " + (item.index + 1) + " of " + item.count + ".");
    });
  });
  connection.on("tally", function () {
    refresh("tally");
  });
  connection.on("timer", function (timer) {
    refresh("timer").then(function () {
      say(timer.endsAt ? "The timer has started." : "The timer has stopped.");
    });
  });
  connection.on("ended", function () {
    window.location.reload();
  });

  function watch() {
    return connection.invoke("Watch", root.getAttribute("data-watch-token"));
  }
  connection.onreconnected(function () {
    // Changes made while the connection was down are picked up from the page itself.
    watch().then(function () { refresh("item"); });
  });
  connection.start().then(watch).then(function () {
    root.setAttribute("data-live-connected", "");
  }).catch(function () {
    say("Live updates are not available: use the Refresh link.");
  });
})();
