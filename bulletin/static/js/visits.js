// Visit-statistics widget: refresh its figures from /stats/visits while the page stays open,
// so a reader sees their own visit (written a few seconds after the page) and who is online.
(function () {
  "use strict";
  var widget = document.querySelector("[data-stats-url]");
  if (!widget || !window.fetch) { return; }
  var url = widget.getAttribute("data-stats-url");
  var numbers = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en" : "vi");
  var FIRST_DELAY = 8000;   // past the server's flush and cache (3 s + 3 s)
  var EVERY = 60000;

  function show(stats) {
    widget.querySelectorAll("[data-stat]").forEach(function (cell) {
      var value = stats[cell.getAttribute("data-stat")];
      if (typeof value === "number") { cell.textContent = numbers.format(value); }
    });
  }

  function refresh() {
    if (document.hidden) { return; }
    // redirect "error": in private mode an expired login must not load (and count) /login.
    fetch(url, {credentials: "same-origin", redirect: "error",
                headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (stats) { if (stats) { show(stats); } })
      .catch(function () { /* the figures on the page stay as they were */ });
  }

  window.setTimeout(refresh, FIRST_DELAY);
  window.setInterval(refresh, EVERY);
  document.addEventListener("visibilitychange", refresh);
})();
