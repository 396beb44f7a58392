// Print view: show the print button only when JavaScript can press it.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.classList.remove("hidden-without-js");
  button.addEventListener("click", function () { window.print(); });
});
