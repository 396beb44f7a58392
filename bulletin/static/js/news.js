// "Mới": posts published since the reader's previous visit carry a badge, and the home page
// says how many. The previous visit lives in one cookie in the reader's browser (no account,
// nothing kept on the server), so the pages themselves stay the same for every reader and
// can be cached. A visit is a return after VISIT_GAP: reloading or moving between pages
// within it keeps the same "previous visit", so the badges do not vanish at the first click.
(function () {
  "use strict";
  var NAME = "bt_seen";
  var VISIT_GAP = 30 * 60;  // seconds
  var YEAR = 365 * 24 * 3600;

  function read() {
    var match = document.cookie.match(/(?:^|;\s*)bt_seen=(\d+)\.(\d+)/);
    return match ? {prev: parseInt(match[1], 10), last: parseInt(match[2], 10)} : null;
  }

  var now = Math.floor(Date.now() / 1000);
  var seen = read();
  var prev = 0;  // a first visit: nothing is "new" (everything would be)
  if (seen) { prev = now - seen.last > VISIT_GAP ? seen.last : seen.prev; }
  document.cookie = NAME + "=" + prev + "." + now + "; path=/; max-age=" + YEAR + "; SameSite=Lax";
  if (!prev) { return; }

  var fresh = 0;
  document.querySelectorAll("[data-published]").forEach(function (card) {
    var published = Date.parse(card.getAttribute("data-published")) / 1000;
    if (!(published > prev) || published > now) { return; }
    fresh += 1;
    var label = card.closest("[data-new-label]");
    var badge = document.createElement("span");
    badge.className = "new-badge";
    badge.textContent = label ? label.getAttribute("data-new-label") : "Mới";
    var title = card.querySelector(".card-title a");
    if (title) { title.insertBefore(badge, title.firstChild); title.insertBefore(document.createTextNode(" "), badge.nextSibling); }
    card.classList.add("is-new");
  });
  var summary = document.querySelector(".new-since");
  if (summary && fresh) {
    summary.textContent = summary.getAttribute("data-text").replace("%(n)s", fresh);
    summary.hidden = false;
  }
})();
