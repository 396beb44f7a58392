// The award and decision forms: the issuing body's level follows the typed issuer and the
// decision date until the secretary chooses one herself, and the levels a date cannot have
// (no district after 30/06/2025) are not offered. The server does the same without this
// script (it reads an empty level from the issuer when the form is checked or saved).
(function () {
  "use strict";
  var select = document.querySelector("select[name=issuer_level][data-level-url]");
  var form = select && select.closest("form");
  if (!form) { return; }
  var issuer = form.querySelector("[name=issuer]");
  var date = form.querySelector("[name=decision_date]");
  var chosen = select.value !== "";
  var timer = null;
  select.addEventListener("change", function () { chosen = select.value !== ""; });
  function refresh() {
    var params = new URLSearchParams();
    params.set("issuer", issuer ? issuer.value : "");
    params.set("decision_date", date ? date.value : "");
    fetch(select.dataset.levelUrl + "?" + params.toString(), {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        Array.prototype.forEach.call(select.options, function (option) {
          var offered = option.value === "" || data.levels.indexOf(option.value) >= 0;
          option.hidden = !offered;
          option.disabled = !offered;
        });
        if (select.selectedOptions.length && select.selectedOptions[0].disabled) {
          select.value = "";
          chosen = false;
        }
        if (!chosen) { select.value = data.level || ""; }
      })
      .catch(function () {});
  }
  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 300);
  }
  [issuer, date].forEach(function (field) {
    if (field) {
      field.addEventListener("input", later);
      field.addEventListener("change", refresh);
    }
  });
})();
