// The post's photo viewer. Without JavaScript each photo is a #photo-N target (CSS :target);
// with it, opening the viewer adds one history entry and moving between photos replaces it,
// so the phone's Back button closes the viewer (the reader stays where she was on the post)
// and Back again leaves the post, as in Facebook and Zalo. Closing by the ✕, Escape or the
// backdrop goes back over that entry too, so the history never keeps a closed photo.
// Arrow keys and a sideways swipe move between photos; Escape closes.
(function () {
  "use strict";
  var gallery = document.getElementById("gallery");
  if (!gallery || !window.history || !history.replaceState) { return; }
  var boxes = Array.prototype.slice.call(gallery.querySelectorAll(".lightbox"));
  var open = null;
  var opener = null;
  var pushed = false;  // the open viewer has its own history entry
  var SWIPE = 50;  // px sideways, more than up or down

  gallery.classList.add("js-gallery");

  function address(hash) {
    return location.pathname + location.search + (hash || "");
  }

  function display(box) {
    if (open && open !== box) { open.classList.remove("open"); }
    open = box;
    box.classList.add("open");
    document.documentElement.classList.add("lightbox-open");
  }

  function hide() {
    if (!open) { return; }
    open.classList.remove("open");
    open = null;
    pushed = false;
    document.documentElement.classList.remove("lightbox-open");
    if (opener) { opener.focus({preventScroll: true}); }
  }

  function show(box, focus) {
    if (!open && history.pushState) {
      history.pushState({lightbox: true}, "", address("#" + box.id));
      pushed = true;
    } else {
      history.replaceState(history.state, "", address("#" + box.id));
    }
    display(box);
    if (focus !== false) { box.focus({preventScroll: true}); }
  }

  function close() {
    if (!open) { return; }
    if (pushed) {
      history.back();  // popstate hides the viewer
    } else {
      history.replaceState(history.state, "", address(""));
      hide();
    }
  }

  function step(delta) {
    if (!open) { return; }
    var next = boxes[boxes.indexOf(open) + delta];
    if (next) { show(next); }
  }

  function boxFor(href) {
    var id = (href || "").split("#")[1];
    return id ? document.getElementById(id) : null;
  }

  gallery.addEventListener("click", function (event) {
    var link = event.target.closest("a[href*='#']");
    if (!link || !gallery.contains(link)) { return; }
    var target = boxFor(link.getAttribute("href"));
    if (link.classList.contains("close") || target === gallery) {
      event.preventDefault();
      close();
    } else if (target && target.classList.contains("lightbox")) {
      event.preventDefault();
      if (!open) { opener = link; }
      show(target);
    }
  });

  // A click on the dark backdrop (not the photo or the links) closes too.
  boxes.forEach(function (box) {
    box.addEventListener("click", function (event) { if (event.target === box) { close(); } });
  });

  document.addEventListener("keydown", function (event) {
    if (!open || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key === "Escape") { event.preventDefault(); close(); }
    else if (event.key === "ArrowRight") { event.preventDefault(); step(1); }
    else if (event.key === "ArrowLeft") { event.preventDefault(); step(-1); }
  });

  var startX = null, startY = null;
  gallery.addEventListener("touchstart", function (event) {
    if (!open || event.touches.length !== 1) { startX = null; return; }
    startX = event.touches[0].clientX;
    startY = event.touches[0].clientY;
  }, {passive: true});
  gallery.addEventListener("touchend", function (event) {
    if (startX === null || !open) { return; }
    var dx = event.changedTouches[0].clientX - startX;
    var dy = event.changedTouches[0].clientY - startY;
    startX = null;
    if (Math.abs(dx) > SWIPE && Math.abs(dx) > 2 * Math.abs(dy)) { step(dx < 0 ? 1 : -1); }
  });

  // The address names the photo shown: Back (or Forward) to another address follows it, and
  // a link to one photo (shared, or followed from elsewhere on the page) opens it.
  function followHash() {
    var box = boxFor(location.hash);
    if (box && box.classList.contains("lightbox")) {
      if (!open) { opener = gallery.querySelector("a[href='#" + box.id + "']"); }
      display(box);
      pushed = !!(history.state && history.state.lightbox);
      box.focus({preventScroll: true});
    } else {
      hide();
    }
  }
  window.addEventListener("popstate", followHash);
  window.addEventListener("hashchange", followHash);
  followHash();
})();
