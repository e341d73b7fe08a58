// Small behaviours, loaded as a file: the Content-Security-Policy forbids inline script.
(function () {
  "use strict";
  // Ask before destructive actions: <button data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Move focus to the error summary so screen-reader users hear what went wrong.
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
})();

// @mention autocomplete on discussion editors: <div class="cop-editor" data-mentions-url>.
// Type @ and two letters; arrows move, Enter or Tab picks, Escape closes.
(function () {
  "use strict";
  // Also for editors added later (the reply form opened under a post: discussions.js).
  window.copMentions = function (editor) {
    var textarea = editor.querySelector("textarea");
    var list = editor.querySelector(".cop-mentions");
    var status = editor.querySelector("[data-mentions-status]");
    if (!textarea || !list) { return; }
    var people = [], active = -1, pending = null;
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", list.id);

    function word() {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var match = /(^|[\s(])@([\w.]{2,40})$/.exec(before);
      return match ? match[2] : null;
    }
    function close() {
      list.hidden = true; list.innerHTML = ""; people = []; active = -1;
      textarea.removeAttribute("aria-activedescendant");
    }
    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) { textarea.setAttribute("aria-activedescendant", list.children[index].id); }
    }
    function pick(index) {
      var person = people[index];
      var caret = textarea.selectionStart;
      var before = textarea.value.slice(0, caret).replace(/@[\w.]*$/, "@" + person.handle + " ");
      textarea.value = before + textarea.value.slice(caret);
      textarea.selectionStart = textarea.selectionEnd = before.length;
      close();
      textarea.focus();
    }
    function show(found) {
      close();
      people = found;
      found.forEach(function (person, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.className = "cop-mention-option";
        item.textContent = person.name + " (@" + person.handle + ") · " + person.organisation;
        item.addEventListener("mousedown", function (event) { event.preventDefault(); pick(i); });
        list.appendChild(item);
      });
      if (found.length) {
        list.hidden = false;
        highlight(0);
      }
      if (status) { status.textContent = found.length + " " + (found.length === 1 ? "suggerimento" : "suggerimenti"); }
    }
    textarea.addEventListener("input", function () {
      var prefix = word();
      if (!prefix) { close(); return; }
      if (pending) { pending.abort(); }
      pending = new AbortController();
      var url = editor.getAttribute("data-mentions-url");
      url += (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(prefix);
      fetch(url, {signal: pending.signal, credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(show)
        .catch(function () {});
    });
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % people.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + people.length) % people.length); }
      else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); pick(active); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
    textarea.addEventListener("blur", close);
  };
  document.querySelectorAll(".cop-editor[data-mentions-url]").forEach(window.copMentions);

  // "Cita": quote the passage selected inside that post, if any, else the whole post.
  document.querySelectorAll("a.cop-quote").forEach(function (link) {
    link.addEventListener("click", function () {
      var selection = window.getSelection ? String(window.getSelection()).trim() : "";
      var body = document.querySelector('.cop-post-body[data-post-id="' + link.getAttribute("data-post-id") + '"]');
      var range = selection && window.getSelection().rangeCount ? window.getSelection().getRangeAt(0) : null;
      if (selection && body && range && body.contains(range.commonAncestorContainer)) {
        link.href = link.href + "&passaggio=" + encodeURIComponent(selection.slice(0, 2000));
      }
    });
  });
})();
