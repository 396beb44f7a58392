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

  function cleanHtml(html) {
    var doc = document.implementation.createHTMLDocument("");
    var box = doc.createElement("div");
    box.innerHTML = html.replace(/<!--[\s\S]*?-->/g, "");
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

  // --- Photos: thumbnails and one caption box each, before upload ------------------------

  function enhancePhotos(input, captions) {
    var list = document.createElement("ol");
    list.className = "photo-previews";
    list.setAttribute("aria-label", t("new_photos", "Ảnh mới"));
    input.parentNode.insertBefore(list, input.nextSibling);
    var captionField = captions.closest(".field");
    captionField.hidden = true;
    var urls = [];
    input.addEventListener("change", function () {
      var typed = captions.value.split("\n");
      urls.forEach(function (url) { URL.revokeObjectURL(url); });
      urls = [];
      list.innerHTML = "";
      Array.prototype.forEach.call(input.files, function (file, index) {
        var item = document.createElement("li");
        var img = document.createElement("img");
        var url = URL.createObjectURL(file);
        urls.push(url);
        img.src = url;
        img.alt = "";
        var label = document.createElement("label");
        var id = "new-caption-" + index;
        label.setAttribute("for", id);
        label.textContent = t("caption_for", "Chú thích ảnh %(n)s").replace("%(n)s", index + 1) + " (" + file.name + ")";
        var box = document.createElement("input");
        box.type = "text";
        box.id = id;
        box.maxLength = 500;
        box.value = typed[index] || "";
        box.addEventListener("input", function () { writeCaptions(list, captions); });
        var text = document.createElement("div");
        text.appendChild(label);
        text.appendChild(box);
        item.appendChild(img);
        item.appendChild(text);
        list.appendChild(item);
      });
      writeCaptions(list, captions);
    });
  }

  function writeCaptions(list, captions) {
    captions.value = Array.prototype.map.call(list.querySelectorAll("input"), function (box) {
      return box.value.replace(/\s+/g, " ").trim();
    }).join("\n");
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
    if (images && captions && window.URL && URL.createObjectURL) { enhancePhotos(images, captions); }
    enhancePreview(form);
    keepDrafts(form);
  }
})();
