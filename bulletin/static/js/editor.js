// A small rich-text editor over the post body's textarea. Without JavaScript the textarea
// takes the same HTML; the server sanitises whatever arrives (pasted Word included).
(function () {
  "use strict";
  var BUTTONS = [
    ["bold", "B", "Đậm"], ["italic", "I", "Nghiêng"], ["underline", "U", "Gạch chân"],
    ["h2", "H2", "Tiêu đề lớn"], ["h3", "H3", "Tiêu đề nhỏ"],
    ["insertUnorderedList", "•", "Danh sách"], ["insertOrderedList", "1.", "Danh sách số"],
    ["blockquote", "❝", "Trích dẫn"], ["createLink", "🔗", "Liên kết"], ["source", "HTML", "Xem mã HTML"]
  ];

  function run(command, area) {
    if (command === "h2" || command === "h3" || command === "blockquote") {
      document.execCommand("formatBlock", false, command);
    } else if (command === "createLink") {
      var url = window.prompt("Địa chỉ liên kết (http://, https:// hoặc /…):", "https://");
      if (url) { document.execCommand("createLink", false, url); }
    } else {
      document.execCommand(command, false, null);
    }
    area.focus();
  }

  function enhance(textarea) {
    var wrapper = document.createElement("div");
    wrapper.className = "rte";
    var toolbar = document.createElement("div");
    toolbar.className = "rte-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Định dạng nội dung");
    var area = document.createElement("div");
    area.className = "rte-area";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    area.setAttribute("aria-label", textarea.labels && textarea.labels[0] ? textarea.labels[0].textContent : "Nội dung");
    area.innerHTML = textarea.value;
    BUTTONS.forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = spec[1];
      button.title = spec[2];
      button.setAttribute("aria-label", spec[2]);
      button.addEventListener("click", function () {
        if (spec[0] === "source") {
          var showing = textarea.classList.toggle("rte-source");
          if (showing) { textarea.value = area.innerHTML; } else { area.innerHTML = textarea.value; }
          area.hidden = showing;
          return;
        }
        run(spec[0], area);
      });
      toolbar.appendChild(button);
    });
    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(toolbar);
    wrapper.appendChild(area);
    wrapper.appendChild(textarea);
    textarea.classList.add("rte-hidden");
    textarea.form.addEventListener("submit", function () {
      if (!textarea.classList.contains("rte-source")) { textarea.value = area.innerHTML; }
    });
  }

  document.querySelectorAll("textarea.rich-text").forEach(enhance);
})();
