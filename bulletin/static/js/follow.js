// "Theo dõi tin mới": a copy button beside each feed address. The office network serves the
// board over plain http, where navigator.clipboard is not offered, so the address is selected
// and copied with the older command when the newer one is missing or refused. The messages
// come from the page (data-copied, data-failed), translated with the rest.
(function () {
  "use strict";
  var status = document.querySelector(".copy-status");
  var copied = status ? status.getAttribute("data-copied") : "";
  var failed = status ? status.getAttribute("data-failed") : "";

  function say(text) { if (status) { status.textContent = text; } }

  function copyOld(input) {
    input.focus();
    input.select();
    input.setSelectionRange(0, input.value.length);
    var done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    say(done ? copied : failed);
  }

  document.querySelectorAll(".copy-button").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () {
          input.select();
          say(copied);
        }, function () { copyOld(input); });
      } else {
        copyOld(input);
      }
    });
    input.addEventListener("focus", function () { input.select(); });
  });
})();
