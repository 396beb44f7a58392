// The post editor, layered over plain form fields that work without JavaScript:
// - a rich-text area over the body's textarea whose Enter makes <p> paragraphs, whose paste
//   (Word, web pages) is cut down to the tags the server keeps, and whose HTML is tidied into
//   paragraphs before it is sent;
// - thumbnails with a caption box per chosen photo (written into the captions textarea);
// - a preview of the post before it is saved;
// - a copy of the text kept in this browser while typing, offered back if a save was lost
//   (an expired login, a closed tab).
// Labels come from the page (`#editor-labels`), so they are translated with the rest.
(function () {
  "use strict";
  var labelsNode = document.getElementById("editor-labels");
  var L = labelsNode ? JSON.parse(labelsNode.textContent) : {};
  function t(key, fallback) { return L[key] || fallback; }

  var ICONS = {
    bold: "M7 5h6a3.5 3.5 0 0 1 0 7H7zM7 12h7a3.5 3.5 0 0 1 0 7H7z",
    italic: "M10 5h8M6 19h8M14 5l-4 14",
    underline: "M7 4v7a5 5 0 0 0 10 0V4M5 20h14",
    h2: "M4 6v12M12 6v12M4 12h8M15 10a2.5 2.5 0 1 1 4 2l-4 6h5",
    h3: "M4 6v12M12 6v12M4 12h8M15 8h5l-3 4a3 3 0 1 1-2 5",
    ul: "M9 6h11M9 12h11M9 18h11M4.5 6h.01M4.5 12h.01M4.5 18h.01",
    ol: "M10 6h10M10 12h10M10 18h10M4 5l1-1v5M3.5 14.5a1.5 1.5 0 1 1 2.5 1L3.5 19H6",
    quote: "M6 17h3l2-4V7H5v6h3zM14 17h3l2-4V7h-6v6h3z",
    link: "M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1",
    unlink: "M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1M4 4l16 16",
    source: "M8 8l-4 4 4 4M16 8l4 4-4 4M13 6l-2 12"
  };
  var BUTTONS = [
    ["bold", "bold", "Đậm"], ["italic", "italic", "Nghiêng"], ["underline", "underline", "Gạch chân"],
    ["h2", "h2", "Tiêu đề lớn"], ["h3", "h3", "Tiêu đề nhỏ"],
    ["insertUnorderedList", "ul", "Danh sách"], ["insertOrderedList", "ol", "Danh sách số"],
    ["blockquote", "quote", "Trích dẫn"], ["createLink", "link", "Liên kết"],
    ["unlink", "unlink", "Bỏ liên kết"], ["source", "source", "Xem mã HTML"]
  ];
  // What the server keeps (bulletin/sanitize.py); everything else is unwrapped on paste.
  var KEEP = {P: 1, BR: 1, B: 1, STRONG: 1, I: 1, EM: 1, U: 1, H2: 1, H3: 1, H4: 1, UL: 1, OL: 1,
    LI: 1, BLOCKQUOTE: 1, TABLE: 1, THEAD: 1, TBODY: 1, TFOOT: 1, TR: 1, TH: 1, TD: 1,
    CAPTION: 1, A: 1, IMG: 1, FIGURE: 1, FIGCAPTION: 1, HR: 1, SUB: 1, SUP: 1};
  var ATTRS = {A: ["href", "title"], IMG: ["src", "alt", "width", "height"],
    TH: ["colspan", "rowspan", "scope"], TD: ["colspan", "rowspan"], OL: ["start"]};
  var DROP = {SCRIPT: 1, STYLE: 1, META: 1, LINK: 1, TITLE: 1, XML: 1, OBJECT: 1, IFRAME: 1,
    svg: 1, SVG: 1, TEMPLATE: 1, HEAD: 1};
  var BLOCKS = /^(P|H[1-6]|UL|OL|TABLE|BLOCKQUOTE|FIGURE|HR|DIV|SECTION|ARTICLE|PRE|HEADER|FOOTER)$/;

  function icon(name) {
    return '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">' +
      '<path d="' + ICONS[name] + '" fill="none" stroke="currentColor" stroke-width="2" ' +
      'stroke-linecap="round" stroke-linejoin="round"/></svg>';
  }

  // --- Cleaning HTML: pasted, typed, or shown in the preview ---------------------------

  function safeHref(value) {
    var v = (value || "").trim();
    return /^(https?:\/\/|mailto:|\/(?!\/)|#)/i.test(v) ? v : null;
  }

  function cleanNode(node, doc) {
    var out = doc.createDocumentFragment();
    node.childNodes.forEach(function (child) {
      if (child.nodeType === 3) { out.appendChild(doc.createTextNode(child.nodeValue)); return; }
      if (child.nodeType !== 1) { return; }  // comments, Word's conditional blocks
      var tag = child.tagName.toUpperCase().replace(/^O:P$/, "P");
      if (DROP[tag] || /:/.test(child.tagName)) {
        if (/^O:P$/i.test(child.tagName)) { out.appendChild(cleanNode(child, doc)); }
        return;
      }
      if (tag === "H1" || tag === "H5" || tag === "H6") { tag = tag === "H1" ? "H2" : "H4"; }
      if (tag === "DIV" || tag === "SECTION" || tag === "ARTICLE" || tag === "PRE") {
        if (child.querySelector("p, div, section, article, h1, h2, h3, h4, h5, h6, ul, ol, table, blockquote")) {
          out.appendChild(cleanNode(child, doc)); return;  // a wrapper of blocks: keep the blocks
        }
        tag = "P";
      }
      if (!KEEP[tag]) { out.appendChild(cleanNode(child, doc)); return; }
      // Google Docs wraps everything in <b style="font-weight:normal">.
      if (tag === "B" && /font-weight:\s*(normal|400)/.test(child.getAttribute("style") || "")) {
        out.appendChild(cleanNode(child, doc)); return;
      }
      var copy = doc.createElement(tag.toLowerCase());
      (ATTRS[tag] || []).forEach(function (name) {
        var value = child.getAttribute(name);
        if (value === null) { return; }
        if (name === "href") { value = safeHref(value); }
        if (value !== null) { copy.setAttribute(name, value); }
      });
      if (tag === "IMG" && !/^\/images\/\d+\/(large|thumb)\.jpg$/.test(copy.getAttribute("src") || "")) {
        return;  // the server keeps only our own uploaded photos
      }
      copy.appendChild(cleanNode(child, doc));
      out.appendChild(copy);
    });
    return out;
  }

  // Word writes a bulleted or numbered list as paragraphs styled `mso-list:l0 level1 lfo1`,
  // each starting with its bullet or number in a `mso-list:Ignore` span; unwrapped, they
  // became "·  text" paragraphs. Here they become <ul>/<ol> with <li> (nested by level).
  var WORD_ITEM = /mso-list:\s*(l\d+)\s+level(\d+)/i;
  var NUMBERED = /^[(\[]?([0-9]+|[a-z]|[ivxlcdm]+)[.)\]]/i;

  function wordItem(node) {
    if (node.nodeType !== 1 || node.tagName !== "P") { return null; }
    var style = node.getAttribute("style") || "";
    var level = WORD_ITEM.exec(style);
    if (!level && !/^MsoListParagraph/i.test(node.className || "")) { return null; }
    var marker = node.querySelector("span[style*='mso-list']");
    var text = "";
    if (marker && /ignore/i.test(marker.getAttribute("style") || "")) {
      text = marker.textContent.replace(/[\s\u00a0]+/g, "");
      marker.parentNode.removeChild(marker);
    } else {
      // No marker span (some copies keep only the text): a leading bullet or number goes.
      var first = node.firstChild;
      while (first && first.nodeType === 1 && first.firstChild) { first = first.firstChild; }
      if (first && first.nodeType === 3) {
        var lead = /^\s*([\u00b7\u2022\u25aa\u25cf\u2013o\u00a7-]|[(\[]?(?:[0-9]+|[a-z]|[ivxlcdm]+)[.)\]])[\s\u00a0]+/i.exec(first.nodeValue);
        if (lead) { text = lead[1]; first.nodeValue = first.nodeValue.slice(lead[0].length); }
      }
    }
    return {list: level ? level[1] : "", level: level ? parseInt(level[2], 10) : 1,
            ordered: NUMBERED.test(text)};
  }

  function wordLists(root, doc) {
    Array.prototype.slice.call(root.querySelectorAll("p")).forEach(function (p) {
      if (!p.parentNode) { return; }
      var info = wordItem(p);
      if (!info) { return; }
      // A run of list paragraphs, siblings one after another, is one list.
      var stack = [];
      var node = p;
      var which = info.list;  // Word's own list number: another one is another list
      var anchor = doc.createComment("list");
      p.parentNode.insertBefore(anchor, p);
      while (node && info) {
        var next = node.nextElementSibling;
        while (stack.length > info.level) { stack.pop(); }
        while (stack.length < info.level) {
          var list = doc.createElement(info.ordered ? "ol" : "ul");
          if (stack.length) {
            var parent = stack[stack.length - 1];
            (parent.lastElementChild || parent.appendChild(doc.createElement("li"))).appendChild(list);
          } else {
            anchor.parentNode.insertBefore(list, anchor);
          }
          stack.push(list);
        }
        var li = doc.createElement("li");
        while (node.firstChild) { li.appendChild(node.firstChild); }
        stack[stack.length - 1].appendChild(li);
        node.parentNode.removeChild(node);
        node = next;
        info = node && (WORD_ITEM.exec(node.getAttribute("style") || "") || [])[1] === which ? wordItem(node) : null;
      }
      anchor.parentNode.removeChild(anchor);
    });
  }

  function cleanHtml(html) {
    var doc = document.implementation.createHTMLDocument("");
    var box = doc.createElement("div");
    box.innerHTML = html.replace(/<!--[\s\S]*?-->/g, "");
    wordLists(box, doc);
    var clean = doc.createElement("div");
    clean.appendChild(cleanNode(box, doc));
    return paragraphs(clean, doc).innerHTML;
  }

  // Top-level text and inline runs go into <p>; lines split by <br><br> become paragraphs;
  // empty paragraphs go. This is what keeps two paragraphs two paragraphs.
  function paragraphs(root, doc) {
    var out = doc.createElement("div");
    var current = null;
    Array.prototype.slice.call(root.childNodes).forEach(function (node) {
      var isBlock = node.nodeType === 1 && BLOCKS.test(node.tagName);
      if (isBlock) {
        current = null;
        if (node.tagName === "DIV") {
          var p = doc.createElement("p");
          while (node.firstChild) { p.appendChild(node.firstChild); }
          node = p;
        }
        out.appendChild(node);
      } else if (node.nodeType === 1 && node.tagName === "BR" && current &&
                 current.lastChild && current.lastChild.nodeName === "BR") {
        current.removeChild(current.lastChild);
        current = null;
      } else {
        if (!current) { current = doc.createElement("p"); out.appendChild(current); }
        current.appendChild(node);
      }
    });
    Array.prototype.slice.call(out.querySelectorAll("p")).forEach(function (p) {
      while (p.lastChild && p.lastChild.nodeName === "BR") { p.removeChild(p.lastChild); }
      if (!p.textContent.trim() && !p.querySelector("img")) { p.parentNode.removeChild(p); }
    });
    return out;
  }

  function textToHtml(text) {
    var doc = document.implementation.createHTMLDocument("");
    var box = doc.createElement("div");
    text.replace(/\r\n?/g, "\n").split(/\n/).forEach(function (line) {
      if (!line.trim()) { return; }
      var p = doc.createElement("p");
      p.textContent = line;
      box.appendChild(p);
    });
    return box.innerHTML;
  }

  // --- The rich-text area ---------------------------------------------------------------

  function run(command, area) {
    area.focus();
    if (command === "h2" || command === "h3" || command === "blockquote") {
      var current = document.queryCommandValue("formatBlock").toLowerCase();
      document.execCommand("formatBlock", false, current === command ? "p" : command);
    } else if (command === "createLink") {
      var selection = window.getSelection();
      var range = selection.rangeCount ? selection.getRangeAt(0).cloneRange() : null;
      var url = window.prompt(t("link_prompt", "Địa chỉ liên kết (http://, https:// hoặc /…):"), "https://");
      if (!url) { return; }
      var href = safeHref(url);
      if (!href) { window.alert(t("link_bad", "Liên kết phải bắt đầu bằng http://, https:// hoặc /.")); return; }
      if (range) { selection.removeAllRanges(); selection.addRange(range); }
      if (!range || range.collapsed) {
        var a = document.createElement("a");
        a.href = href;
        a.textContent = href;
        document.execCommand("insertHTML", false, a.outerHTML);
      } else {
        document.execCommand("createLink", false, href);
      }
    } else {
      document.execCommand(command, false, null);
    }
  }

  function buildToolbar(textarea, area) {
    var toolbar = document.createElement("div");
    toolbar.className = "rte-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", t("toolbar", "Định dạng nội dung"));
    BUTTONS.forEach(function (spec) {
      var button = document.createElement("button");
      var label = t(spec[0], spec[2]);
      button.type = "button";
      button.innerHTML = icon(spec[1]);
      button.title = label;
      button.setAttribute("aria-label", label);
      button.setAttribute("data-command", spec[0]);
      // Keep the selection in the text while clicking a button.
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });
      button.addEventListener("click", function () {
        if (spec[0] === "source") { toggleSource(textarea, area, button); return; }
        run(spec[0], area);
        sync(textarea, area);
      });
      toolbar.appendChild(button);
    });
    return toolbar;
  }

  function toggleSource(textarea, area, button) {
    var showing = textarea.classList.toggle("rte-source");
    if (showing) { textarea.value = tidy(area); } else { area.innerHTML = cleanHtml(textarea.value) || "<p><br></p>"; }
    area.hidden = showing;
    button.setAttribute("aria-pressed", showing ? "true" : "false");
  }

  function tidy(area) {
    return cleanHtml(area.innerHTML);
  }

  function sync(textarea, area) {
    if (!textarea.classList.contains("rte-source")) { textarea.value = tidy(area); }
    textarea.dispatchEvent(new Event("editor-change", {bubbles: true}));
  }

  function onPaste(event, textarea, area) {
    var data = event.clipboardData;
    if (!data) { return; }
    var html = data.getData("text/html");
    var text = data.getData("text/plain");
    event.preventDefault();
    var clean = html ? cleanHtml(html) : textToHtml(text);
    if (!html && text.indexOf("\n") < 0) {
      document.execCommand("insertText", false, text);
    } else {
      document.execCommand("insertHTML", false, clean);
    }
    sync(textarea, area);
  }

  function enhance(textarea) {
    var wrapper = document.createElement("div");
    wrapper.className = "rte";
    var area = document.createElement("div");
    area.className = "rte-area body";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    area.setAttribute("aria-label", textarea.labels && textarea.labels[0] ? textarea.labels[0].textContent : "Nội dung");
    area.innerHTML = cleanHtml(textarea.value) || "<p><br></p>";
    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(buildToolbar(textarea, area));
    wrapper.appendChild(area);
    wrapper.appendChild(textarea);
    textarea.classList.add("rte-hidden");
    area.addEventListener("focus", function () {
      // Enter makes a new <p> (Chromium's default is a <div>, which the server unwraps).
      document.execCommand("defaultParagraphSeparator", false, "p");
    });
    var pending = null;  // tidying a long post on every key would slow a cheap PC down
    area.addEventListener("input", function () {
      if (!area.firstElementChild && area.textContent.trim()) {
        // Text typed into an empty area is a bare text node: give it its paragraph.
        document.execCommand("formatBlock", false, "p");
      }
      window.clearTimeout(pending);
      pending = window.setTimeout(function () { sync(textarea, area); }, 400);
    });
    area.addEventListener("paste", function (event) { onPaste(event, textarea, area); });
    textarea.form.addEventListener("submit", function () { sync(textarea, area); });
    textarea.editorArea = area;
  }

  // --- Photos: thumbnails, one caption box each, scaled in the browser, sent with progress --
  // The chosen photos live in `chosen` (the file input's own list is replaced by the browser
  // on every pick, so picking twice adds); captions are written into the captions textarea
  // in the same order, as the plain form does. On saving, each photo is scaled to about
  // 2,000 px JPEG here, so thirteen 5 MB phone photos become thirteen ~0.5 MB ones, and the
  // form is sent by XMLHttpRequest to show each photo's progress. When the request would
  // still pass the server's limit, nothing is sent and every chosen photo stays.

  var MAX_SIDE = 2000;
  var JPEG_QUALITY = 0.85;

  function fmt(key, fallback, values) {
    return t(key, fallback).replace(/%\((\w+)\)s/g, function (all, name) {
      return values && values[name] !== undefined ? values[name] : all;
    });
  }

  function megabytes(bytes) {
    if (bytes < 1024 * 1024) { return Math.max(1, Math.round(bytes / 1024)) + " KB"; }
    var mb = bytes / (1024 * 1024);
    return (mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10).toString().replace(".", ",") + " MB";
  }

  function jpegName(name) {
    return (name.replace(/\.[^.\/]*$/, "") || "anh") + ".jpg";
  }

  // Scale one photo to at most MAX_SIDE px as JPEG; keep the original when it is already
  // small, when the browser cannot read it, or when scaling would not make it smaller.
  function scalePhoto(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, {imageOrientation: "from-image"}).then(function (bitmap) {
      var k = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      if (k === 1 && file.type === "image/jpeg" && file.size < 1024 * 1024) {
        bitmap.close();
        return file;
      }
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * k));
      canvas.height = Math.max(1, Math.round(bitmap.height * k));
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff";  // a transparent PNG gets a white, not black, background
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.imageSmoothingQuality = "high";
      ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; }
          resolve(new File([blob], jpegName(file.name), {type: "image/jpeg"}));
        }, "image/jpeg", JPEG_QUALITY);
      });
    }).catch(function () { return file; });
  }

  // --- Photo order: drag the thumbnail, or the ↑ ↓ buttons (keyboard, phones) ------------

  var announcer = null;
  function announce(text) {
    if (!announcer) {
      announcer = document.createElement("p");
      announcer.className = "visually-hidden";
      announcer.setAttribute("role", "status");
      document.body.appendChild(announcer);
    }
    announcer.textContent = text;
  }

  function orderButtons(index, count, move) {
    var box = document.createElement("div");
    box.className = "order-buttons";
    [[-1, "↑", "move_up", "Đưa ảnh %(n)s lên trước"], [1, "↓", "move_down", "Đưa ảnh %(n)s xuống sau"]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "order-button";
      button.textContent = spec[1];
      button.setAttribute("data-delta", spec[0]);
      button.setAttribute("aria-label", fmt(spec[2], spec[3], {n: index + 1}));
      button.title = button.getAttribute("aria-label");
      button.disabled = (spec[0] < 0 && index === 0) || (spec[0] > 0 && index === count - 1);
      button.addEventListener("click", function () { move(index, index + spec[0], spec[0]); });
      box.appendChild(button);
    });
    return box;
  }

  // Drag an item by its thumbnail onto another to put it there. `where(item)` tells an
  // item's place when the drag happens (items move).
  function draggable(item, handle, where, move) {
    handle.setAttribute("draggable", "true");
    handle.classList.add("drag-handle");
    handle.addEventListener("dragstart", function (event) {
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/x-photo-index", String(where(item)));
      item.classList.add("dragging");
    });
    handle.addEventListener("dragend", function () { item.classList.remove("dragging"); });
    item.addEventListener("dragover", function (event) {
      if (Array.prototype.indexOf.call(event.dataTransfer.types, "text/x-photo-index") < 0) { return; }
      event.preventDefault();
      item.classList.add("drop-target");
    });
    item.addEventListener("dragleave", function () { item.classList.remove("drop-target"); });
    item.addEventListener("drop", function (event) {
      var from = parseInt(event.dataTransfer.getData("text/x-photo-index"), 10);
      var to = where(item);
      item.classList.remove("drop-target");
      if (isNaN(from) || from === to) { return; }
      event.preventDefault();
      move(from, to, 0);
    });
  }

  function focusOrder(item, delta) {
    var button = item && item.querySelector(".order-button[data-delta='" + (delta < 0 ? -1 : 1) + "']");
    if (button && button.disabled) { button = item.querySelector(".order-button:not([disabled])"); }
    if (button) { button.focus(); }
  }

  // The photos already on the post: rows whose "Thứ tự" number the script keeps for them.
  function enhanceExistingOrder(container) {
    function rows() { return Array.prototype.slice.call(container.querySelectorAll(".photo-row")); }
    function where(row) { return rows().indexOf(row); }
    function build() {
      var all = rows();
      all.forEach(function (row, index) {
        var old = row.querySelector(".order-buttons");
        if (old) { old.parentNode.removeChild(old); }
        var field = row.querySelector("input[name$='-position']");
        if (!field) { return; }
        field.value = index + 1;
        field.closest(".field").hidden = true;
        row.appendChild(orderButtons(index, all.length, move));
      });
    }
    function move(from, to, delta) {
      var all = rows();
      if (to < 0 || to >= all.length || from === to) { return; }
      var item = all[from];
      container.insertBefore(item, to > from ? all[to].nextSibling : all[to]);
      build();
      announce(fmt("moved", "Ảnh đã chuyển tới vị trí %(n)s / %(count)s", {n: to + 1, count: all.length}));
      if (delta) { focusOrder(item, delta); }
    }
    rows().forEach(function (row) {
      var img = row.querySelector("img");
      if (img) { draggable(row, img, where, move); }
    });
    build();
  }

  function PhotoPicker(input, captions, form) {
    this.input = input;
    this.captions = captions;
    this.form = form;
    this.chosen = [];   // {file, caption, url, item}
    this.maxRequest = parseInt(form.getAttribute("data-max-request"), 10) || 0;
    this.maxImage = parseInt(form.getAttribute("data-max-image"), 10) || 0;
    this.list = document.createElement("ol");
    this.list.className = "photo-previews";
    this.list.setAttribute("aria-label", t("new_photos", "Ảnh mới"));
    this.message = document.createElement("p");
    this.message.className = "error photo-message";
    this.message.setAttribute("role", "alert");
    this.message.hidden = true;
    input.parentNode.insertBefore(this.list, input.nextSibling);
    input.parentNode.insertBefore(this.message, this.list);
    captions.closest(".field").hidden = true;
    var typed = captions.value ? captions.value.split("\n") : [];
    var self = this;
    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, function (file) {
        self.chosen.push({file: file, caption: typed.shift() || ""});
      });
      self.render();
    });
  }

  PhotoPicker.prototype.syncInput = function () {
    // Keep the plain input's list equal to ours, so a form sent without our help sends them.
    try {
      var transfer = new DataTransfer();
      this.chosen.forEach(function (entry) { transfer.items.add(entry.file); });
      this.input.files = transfer.files;
    } catch (error) { /* an old browser: the input keeps the last pick */ }
  };

  PhotoPicker.prototype.render = function () {
    var self = this;
    this.list.innerHTML = "";
    this.chosen.forEach(function (entry, index) {
      if (!entry.url) { entry.url = URL.createObjectURL(entry.file); }
      var item = document.createElement("li");
      item.className = "photo-preview";
      var img = document.createElement("img");
      img.src = entry.url;
      img.alt = "";
      var id = "new-caption-" + index;
      var label = document.createElement("label");
      label.setAttribute("for", id);
      label.textContent = fmt("caption_for", "Chú thích ảnh %(n)s", {n: index + 1}) + " (" + entry.file.name + ", " + megabytes(entry.file.size) + ")";
      var box = document.createElement("input");
      box.type = "text";
      box.id = id;
      box.maxLength = 500;
      box.value = entry.caption;
      box.addEventListener("input", function () { entry.caption = box.value; self.writeCaptions(); });
      var state = document.createElement("div");
      state.className = "photo-state";
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.hidden = true;
      var note = document.createElement("span");
      note.className = "photo-note";
      state.appendChild(bar);
      state.appendChild(note);
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link-button photo-remove";
      remove.textContent = t("remove_new", "Bỏ ảnh này");
      remove.setAttribute("aria-label", fmt("remove_new_n", "Bỏ ảnh %(n)s", {n: index + 1}));
      remove.addEventListener("click", function () {
        URL.revokeObjectURL(entry.url);
        self.chosen.splice(self.chosen.indexOf(entry), 1);
        self.render();
      });
      var text = document.createElement("div");
      text.appendChild(label);
      text.appendChild(box);
      text.appendChild(state);
      text.appendChild(remove);
      item.appendChild(img);
      item.appendChild(text);
      item.appendChild(orderButtons(index, self.chosen.length, function (from, to, delta) {
        self.moveTo(from, to, delta);
      }));
      draggable(item, img, function () { return index; }, function (from, to) { self.moveTo(from, to, 0); });
      entry.item = item;
      entry.bar = bar;
      entry.note = note;
      self.list.appendChild(item);
    });
    this.writeCaptions();
    this.syncInput();
    this.list.dispatchEvent(new Event("photos-changed", {bubbles: true}));
  };

  PhotoPicker.prototype.writeCaptions = function () {
    this.captions.value = this.chosen.map(function (entry) {
      return entry.caption.replace(/\s+/g, " ").trim();
    }).join("\n");
  };

  PhotoPicker.prototype.moveTo = function (from, to, delta) {
    if (from < 0 || to < 0 || to >= this.chosen.length || from === to) { return; }
    var entry = this.chosen.splice(from, 1)[0];
    this.chosen.splice(to, 0, entry);
    this.render();
    announce(fmt("moved", "Ảnh đã chuyển tới vị trí %(n)s / %(count)s", {n: to + 1, count: this.chosen.length}));
    if (delta) { focusOrder(entry.item, delta); }
  };

  PhotoPicker.prototype.say = function (text) {
    this.message.textContent = text;
    this.message.hidden = !text;
    if (text) { this.message.scrollIntoView({block: "center"}); }
  };

  PhotoPicker.prototype.busy = function (on) {
    Array.prototype.forEach.call(this.form.querySelectorAll("button, input[type=submit]"), function (button) {
      button.disabled = on;
    });
    this.form.classList.toggle("sending", on);
  };

  PhotoPicker.prototype.submit = function (submitter) {
    var self = this;
    if (self.sending) { return; }
    self.sending = true;
    self.say("");
    self.busy(true);
    var scaled = [];
    var chain = Promise.resolve();
    self.chosen.forEach(function (entry) {
      entry.note.textContent = t("waiting", "Chờ thu nhỏ");
      chain = chain.then(function () {
        entry.note.textContent = t("scaling", "Đang thu nhỏ…");
        return scalePhoto(entry.file).then(function (file) {
          scaled.push(file);
          entry.note.textContent = fmt("scaled", "Sẵn sàng gửi (%(size)s)", {size: megabytes(file.size)});
        });
      });
    });
    chain.then(function () { self.send(scaled, submitter); });
  };

  PhotoPicker.prototype.stop = function (text) {
    this.sending = false;
    this.busy(false);
    this.chosen.forEach(function (entry) { entry.bar.hidden = true; entry.note.textContent = ""; });
    this.say(text);
  };

  PhotoPicker.prototype.send = function (files, submitter) {
    var self = this;
    var data = new FormData(self.form);
    data.delete("images");
    // The pressed button is disabled while sending, so its value is added by hand.
    if (submitter && submitter.name) { data.set(submitter.name, submitter.value); }
    var total = 0;
    for (var i = 0; i < files.length; i++) {
      if (self.maxImage && files[i].size > self.maxImage) {
        self.stop(fmt("photo_too_big", "Ảnh “%(name)s” lớn hơn %(max)s kể cả sau khi thu nhỏ. Hãy bỏ ảnh này (các ảnh khác vẫn giữ nguyên).", {name: self.chosen[i].file.name, max: megabytes(self.maxImage)}));
        return;
      }
      data.append("images", files[i], files[i].name);
      total += files[i].size;
    }
    var others = 0;
    Array.prototype.forEach.call(self.form.querySelectorAll("input[type=file]:not([name=images])"), function (field) {
      Array.prototype.forEach.call(field.files || [], function (file) { others += file.size; });
    });
    if (self.maxRequest && total + others + 64 * 1024 > self.maxRequest) {
      self.stop(fmt("too_big_total", "Ảnh và tệp chọn lần này nặng %(size)s (đã thu nhỏ), quá giới hạn %(max)s của một lần lưu. Ảnh đã chọn vẫn còn nguyên: hãy bỏ bớt vài ảnh rồi lưu, sau đó sửa bài để thêm các ảnh còn lại.", {size: megabytes(total + others), max: megabytes(self.maxRequest)}));
      return;
    }
    var starts = [];
    var offset = 0;
    files.forEach(function (file) { starts.push(offset); offset += file.size; });
    self.chosen.forEach(function (entry) { entry.bar.hidden = false; entry.bar.value = 0; entry.note.textContent = t("waiting_send", "Chờ gửi"); });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", self.form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) { return; }
      // The photos are the request's last parts: whatever came before them is the text.
      var sentOfPhotos = event.loaded - (event.total - offset);
      self.chosen.forEach(function (entry, index) {
        var done = Math.max(0, Math.min(files[index].size, sentOfPhotos - starts[index]));
        var percent = files[index].size ? Math.round(100 * done / files[index].size) : 100;
        entry.bar.value = percent;
        entry.note.textContent = percent >= 100 ? t("sent", "Đã gửi") : percent > 0 ? fmt("sending", "Đang gửi %(p)s%", {p: percent}) : t("waiting_send", "Chờ gửi");
      });
    });
    xhr.addEventListener("load", function () { self.answered(xhr); });
    xhr.addEventListener("error", function () {
      self.stop(t("network", "Không gửi được: mất kết nối tới máy chủ. Ảnh và nội dung vẫn còn nguyên; hãy bấm lưu lại."));
    });
    xhr.send(data);
  };

  PhotoPicker.prototype.answered = function (xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (xhr.status === 200 && type.indexOf("application/json") === 0) {
      var answer = JSON.parse(xhr.responseText);
      window.location.assign(answer.location);
      return;
    }
    if (xhr.status === 413) {
      this.stop(fmt("too_big_server", "Máy chủ không nhận: dữ liệu gửi một lần quá lớn (giới hạn %(max)s). Ảnh đã chọn vẫn còn nguyên: hãy bỏ bớt vài ảnh rồi lưu lại.", {max: megabytes(this.maxRequest)}));
      return;
    }
    if (type.indexOf("text/html") === 0 && xhr.responseText) {
      // A form with errors (the photos already received are listed in it) or an error page:
      // show it as the browser would have.
      document.open();
      document.write(xhr.responseText);
      document.close();
      window.scrollTo(0, 0);  // the errors and questions are at the top, as after a page load
      return;
    }
    this.stop(fmt("failed", "Máy chủ trả lời lỗi %(code)s. Ảnh và nội dung vẫn còn nguyên; hãy thử lưu lại.", {code: xhr.status}));
  };

  function enhancePhotos(input, captions, form) {
    var picker = new PhotoPicker(input, captions, form);
    var canSend = window.FormData && window.XMLHttpRequest && window.Promise && window.DataTransfer;
    form.addEventListener("submit", function (event) {
      if (!canSend || !picker.chosen.length || event.defaultPrevented) { return; }
      event.preventDefault();
      picker.submit(event.submitter);
    });
    return picker;
  }

  // --- Publishing: "Lưu nháp", "Đăng ngay", "Hẹn giờ đăng…" before the status dropdown ------

  function enhancePublishing(form) {
    var actions = document.getElementById("publish-actions");
    var status = form.elements.status;
    var save = document.getElementById("save-button");
    var when = form.elements.publish_at;
    if (!actions || !status || !save || !when) { return; }
    actions.hidden = false;
    // The buttons come first; the status dropdown and "Lưu bài" stay under them, visible, for
    // whoever (or whatever form filler) works the old way: they send `status` as before.
    actions.parentNode.insertBefore(actions, status.closest(".field"));
    var whenField = when.closest(".field");
    var toggle = actions.querySelector(".schedule-toggle");
    var panel = actions.querySelector(".schedule-panel");
    if (!toggle || !panel) { whenField.hidden = true; return; }  // a live post has no time to set
    panel.insertBefore(whenField, panel.firstChild);
    function open(on, focus) {
      panel.hidden = !on;
      toggle.setAttribute("aria-expanded", on ? "true" : "false");
      if (on && focus) { when.focus(); }
    }
    toggle.addEventListener("click", function () { open(panel.hidden, true); });
    open(whenField.classList.contains("has-error"), false);
  }

  // --- Preview -------------------------------------------------------------------------

  function value(form, name) {
    var field = form.elements[name];
    return field ? field.value.trim() : "";
  }

  function showPreview(form, dialog) {
    var body = form.elements.body;
    var content = dialog.querySelector(".preview-content");
    content.innerHTML = "";
    var h1 = document.createElement("h1");
    h1.textContent = value(form, "title") || t("no_title", "(Chưa có tiêu đề)");
    content.appendChild(h1);
    if (value(form, "summary")) {
      var lead = document.createElement("p");
      lead.className = "lead";
      var strong = document.createElement("strong");
      strong.textContent = value(form, "summary");
      lead.appendChild(strong);
      content.appendChild(lead);
    }
    var div = document.createElement("div");
    div.className = "body";
    div.innerHTML = cleanHtml(body.editorArea && !body.classList.contains("rte-source") ? body.editorArea.innerHTML : body.value);
    content.appendChild(div);
    var photos = form.querySelectorAll(".photo-previews li, .photo-row");
    if (photos.length) {
      var grid = document.createElement("ul");
      grid.className = "gallery-grid";
      photos.forEach(function (row) {
        var removed = row.querySelector("input[type=checkbox]:checked");
        if (removed) { return; }
        var li = document.createElement("li");
        var fig = document.createElement("figure");
        fig.appendChild(row.querySelector("img").cloneNode());
        var caption = document.createElement("figcaption");
        caption.textContent = (row.querySelector("input[type=text]") || {value: ""}).value;
        fig.appendChild(caption);
        li.appendChild(fig);
        grid.appendChild(li);
      });
      content.appendChild(grid);
    }
    if (value(form, "byline")) {
      var byline = document.createElement("p");
      byline.className = "byline";
      byline.textContent = value(form, "byline");
      content.appendChild(byline);
    }
    dialog.showModal();
  }

  function enhancePreview(form) {
    var dialog = document.getElementById("preview-dialog");
    var button = document.getElementById("preview-button");
    if (!dialog || !button || !dialog.showModal) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { showPreview(form, dialog); });
    dialog.querySelector(".preview-close").addEventListener("click", function () { dialog.close(); });
  }

  // --- A copy of the text in this browser ------------------------------------------------

  var DRAFT_FIELDS = ["title", "summary", "body", "byline"];
  var DRAFT_PREFIX = "bulletin-draft:";

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  function readDraft(key) {
    var store = storage();
    try { return store ? JSON.parse(store.getItem(key) || "null") : null; } catch (error) { return null; }
  }

  function currentValues(form) {
    var values = {};
    DRAFT_FIELDS.forEach(function (name) { values[name] = value(form, name); });
    return values;
  }

  function sameText(a, b) {
    return DRAFT_FIELDS.every(function (name) { return (a[name] || "") === (b[name] || ""); });
  }

  function offerDraft(form, key, draft) {
    var banner = document.getElementById("draft-banner");
    if (!banner) { return; }
    var when = new Date(draft.savedAt);
    banner.querySelector(".draft-when").textContent = when.toLocaleString(document.documentElement.lang === "en" ? "en-GB" : "vi-VN");
    banner.querySelector(".draft-title").textContent = draft.values.title || t("no_title", "(Chưa có tiêu đề)");
    banner.hidden = false;
    banner.querySelector(".draft-restore").addEventListener("click", function () {
      DRAFT_FIELDS.forEach(function (name) {
        var field = form.elements[name];
        if (!field) { return; }
        field.value = draft.values[name] || "";
        if (field.editorArea) { field.editorArea.innerHTML = cleanHtml(field.value) || "<p><br></p>"; }
      });
      banner.hidden = true;
    });
    banner.querySelector(".draft-discard").addEventListener("click", function () {
      storage().removeItem(key);
      banner.hidden = true;
    });
  }

  function keepDrafts(form) {
    var store = storage();
    if (!store) { return; }
    var key = DRAFT_PREFIX + form.getAttribute("action");
    var loaded = currentValues(form);
    var draft = readDraft(key);
    if (draft && draft.values && !sameText(draft.values, loaded)) {
      offerDraft(form, key, draft);
    } else if (draft) {
      store.removeItem(key);  // the page already holds that text: it was saved
    }
    var timer = null;
    function save() {
      timer = null;
      var values = currentValues(form);
      if (sameText(values, loaded)) { return; }
      try {
        store.setItem(key, JSON.stringify({savedAt: Date.now(), values: values}));
      } catch (error) { /* storage full or refused: nothing more to do */ }
    }
    function later() { if (!timer) { timer = window.setTimeout(save, 1000); } }
    form.addEventListener("input", later);
    form.addEventListener("editor-change", later);
    form.addEventListener("submit", save);
  }

  // After a successful save the post's page names the form it came from: forget its copy.
  function forgetSavedDraft() {
    var marker = document.querySelector("[data-saved-from]");
    var store = storage();
    if (!marker || !store) { return; }
    marker.getAttribute("data-saved-from").split(" ").forEach(function (action) {
      var key = DRAFT_PREFIX + action;
      var draft = readDraft(key);
      if (draft && draft.values && draft.values.title === marker.getAttribute("data-saved-title")) {
        store.removeItem(key);
      }
    });
  }

  forgetSavedDraft();
  document.querySelectorAll("textarea.rich-text").forEach(enhance);
  var form = document.querySelector("form.post-form");
  if (form) {
    var images = form.querySelector("input[type=file][name=images]");
    var captions = form.querySelector("textarea[name=image_captions]");
    if (images && captions && window.URL && URL.createObjectURL) { enhancePhotos(images, captions, form); }
    var existing = form.querySelector(".photo-rows");
    if (existing) { enhanceExistingOrder(existing); }
    enhancePublishing(form);
    enhancePreview(form);
    keepDrafts(form);
  }
})();
