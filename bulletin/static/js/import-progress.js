// The import's forms (upload for a dry run, confirm): a long request shows how far it has
// got. The form is sent by XMLHttpRequest with a random id in a "progress" field; the upload
// shows its bytes sent, then the page asks /awards/import/progress/<id> every second how many
// rows the server has read, checked or written. The answer page replaces this one. Without
// this script (or without FormData) the forms post as usual. Messages come from the page
// (data-* of .import-progress), translated with the rest.
(function () {
  "use strict";
  if (!window.FormData || !window.XMLHttpRequest || !window.crypto || !crypto.getRandomValues) {
    return;
  }
  var lang = document.documentElement.lang || "vi";

  function randomId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function number(n) {
    return Number(n || 0).toLocaleString(lang);
  }

  function show(box, phase, done, total) {
    var text = box.getAttribute("data-" + phase) || box.getAttribute("data-wait") || "";
    box.querySelector(".import-progress-text").textContent =
      text.replace("{done}", number(done)).replace("{total}", number(total));
    var bar = box.querySelector("progress");
    if (total > 0) {
      bar.max = total;
      bar.value = done;
    } else {
      bar.removeAttribute("value"); // an indeterminate bar while the file is read
    }
    box.hidden = false;
  }

  function replacePage(xhr) {
    var url = xhr.responseURL;
    document.open();
    document.write(xhr.responseText);
    document.close();
    if (url && url !== window.location.href) {
      window.history.replaceState(null, "", url);
    }
  }

  function send(form, submitter) {
    var box = form.querySelector(".import-progress");
    if (!box) { return false; }
    var id = randomId();
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    data.append("progress", id);
    var timer;
    var xhr = new XMLHttpRequest();

    function poll() {
      var ask = new XMLHttpRequest();
      ask.open("GET", box.getAttribute("data-url").replace("__id__", id));
      ask.responseType = "json";
      ask.onload = function () {
        var answer = ask.response;
        if (ask.status === 200 && answer && xhr.readyState < 4) {
          show(box, answer.phase, answer.done, answer.total);
        }
      };
      ask.send();
    }

    xhr.open(form.method || "POST", form.action);
    xhr.upload.onprogress = function (event) {
      if (event.lengthComputable) { show(box, "upload", event.loaded, event.total); }
    };
    xhr.upload.onload = function () { show(box, "read", 0, 0); };
    xhr.onload = function () {
      window.clearInterval(timer);
      replacePage(xhr);
    };
    xhr.onerror = function () {
      window.clearInterval(timer);
      form.submit(); // as without this script
    };
    form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
    show(box, "upload", 0, 0);
    xhr.send(data);
    timer = window.setInterval(poll, 1000);
    return true;
  }

  document.querySelectorAll("form.import-form, form.confirm-import").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (send(form, event.submitter)) {
        event.preventDefault();
      }
    });
  });
})();
