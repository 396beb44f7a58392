// The organizations' menu scrolls sideways on a phone: show a fade and an arrow on the side
// that has more (CSS shows the arrow after the last item when this script does not run).
(function () {
  "use strict";
  var nav = document.querySelector(".org-nav");
  var list = nav && nav.querySelector("ul");
  if (!list) { return; }

  function update() {
    var room = list.scrollWidth - list.clientWidth;
    var state = room <= 1 ? "none" : list.scrollLeft <= 1 ? "start"
      : list.scrollLeft >= room - 1 ? "end" : "middle";
    nav.setAttribute("data-scroll", state);
  }

  var current = list.querySelector("[aria-current]");
  if (current && current.offsetLeft + current.offsetWidth > list.clientWidth) {
    list.scrollLeft = current.offsetLeft - 40;  // the open organization is in view
  }
  list.addEventListener("scroll", update, {passive: true});
  window.addEventListener("resize", update);
  update();
})();
