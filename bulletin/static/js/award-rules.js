// The award form: show the reward the rules give for the chosen kind, recipient and date,
// and fill the amount with it on request. The form works the same without this script.
(function () {
  "use strict";
  var hint = document.querySelector(".suggestion[data-suggest-url]");
  var form = hint && hint.closest("form");
  if (!form) { return; }
  var amount = form.querySelector("[name=amount]");
  function refresh() {
    var params = new URLSearchParams();
    ["kind", "recipient_type", "decision_date"].forEach(function (name) {
      var field = form.querySelector("[name=" + name + "]");
      params.set(name, field ? field.value : "");
    });
    fetch(hint.dataset.suggestUrl + "?" + params.toString(), {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        hint.textContent = "";
        if (!data || data.amount === null) { return; }
        hint.appendChild(document.createTextNode(data.text + " "));
        var use = document.createElement("button");
        use.type = "button";
        use.className = "button secondary small";
        use.textContent = data.label;
        use.addEventListener("click", function () { amount.value = data.formatted; });
        hint.appendChild(use);
      })
      .catch(function () {});
  }
  ["kind", "recipient_type", "decision_date"].forEach(function (name) {
    var field = form.querySelector("[name=" + name + "]");
    if (field) { field.addEventListener("change", refresh); }
  });
})();
