// Layout behaviours (issue 17), loaded as a file: the Content-Security-Policy forbids inline script.

// The space's sections and the directory's tabs scroll sideways on a phone: bring the one
// shown into view.
(function () {
  "use strict";
  document.querySelectorAll(".cop-space-tabs, .cop-scroll-tabs").forEach(function (strip) {
    var current = strip.querySelector("[aria-current]");
    if (!current) { return; }
    var left = current.getBoundingClientRect().left - strip.getBoundingClientRect().left;
    if (left + current.offsetWidth > strip.clientWidth) {
      strip.scrollLeft = left - (strip.clientWidth - current.offsetWidth) / 2;
    }
  });
})();

// Long filter lists (the library's) fold on a phone, so the results come first: the page
// sends them open, which is what a browser without JavaScript shows.
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 991.98px)").matches) { return; }
  document.querySelectorAll("details[data-fold-on-phone]").forEach(function (box) {
    box.open = false;
  });
})();

// Unsaved changes: before leaving a page where a long form was changed and not sent, the browser
// asks for confirmation. The rule is general, so nobody has to remember it: every POST form with
// a textarea, and any form marked data-warn-unsaved; data-warn-unsaved="false" opts a form out.
(function () {
  "use strict";
  var dirty = new Set();
  var leaving = false;

  function watched(form) {
    if (!form || form.tagName !== "FORM") { return false; }
    var mark = form.getAttribute("data-warn-unsaved");
    if (mark === "false") { return false; }
    if (mark !== null) { return true; }
    return (form.getAttribute("method") || "get").toLowerCase() === "post" &&
      form.querySelector("textarea") !== null;
  }
  function changed(event) {
    var form = event.target && event.target.form;
    if (watched(form)) { dirty.add(form); }
  }
  // A form sent back with errors, or shown again with a preview ("Anteprima": the editor says
  // data-unsaved), holds what the person typed, still not saved.
  document.querySelectorAll("form").forEach(function (form) {
    if (watched(form) && form.querySelector('[aria-invalid="true"], [data-unsaved]')) {
      dirty.add(form);
    }
  });
  document.addEventListener("input", changed);
  document.addEventListener("change", changed);
  // Sending the form is not leaving it. Listening on window runs after the document's submit
  // listeners (cop.js asks "are you sure?" there): a cancelled submit keeps the warning.
  window.addEventListener("submit", function (event) {
    if (!event.defaultPrevented && dirty.has(event.target)) { leaving = true; }
  });
  document.addEventListener("reset", function (event) { dirty.delete(event.target); });
  window.addEventListener("pageshow", function () { leaving = false; });
  window.addEventListener("beforeunload", function (event) {
    if (leaving || dirty.size === 0) { return; }
    var connected = false;
    dirty.forEach(function (form) { if (form.isConnected) { connected = true; } });
    if (!connected) { return; }
    event.preventDefault();
    event.returnValue = "";  // older browsers need a value to show their standard question
  });
})();
