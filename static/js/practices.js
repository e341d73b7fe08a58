// The printable record: a button that opens the browser's print dialog.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});

// The record form: «Aggiungi un partner / un indicatore» adds an empty row in the page (a copy
// of the last one, numbered next) instead of sending the form; without JavaScript the button
// sends it and the server shows it again with one more row.
document.querySelectorAll("[data-add-row]").forEach(function (button) {
  var rows = document.querySelector('[data-rows="' + button.getAttribute("data-add-row") + '"]');
  if (!rows) { return; }
  button.addEventListener("click", function (event) {
    var all = rows.querySelectorAll("[data-row]");
    var max = parseInt(rows.getAttribute("data-max") || "0", 10);
    if (!all.length || (max && all.length >= max)) { return; }  // the server answers
    event.preventDefault();
    var index = all.length;
    var row = all[all.length - 1].cloneNode(true);
    var renumber = function (value) { return value.replace(/-\d+-/, "-" + index + "-"); };
    row.querySelectorAll(".cop-error").forEach(function (node) { node.remove(); });
    row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (node) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attribute) {
        if (node.hasAttribute(attribute)) {
          node.setAttribute(attribute, renumber(node.getAttribute(attribute)));
        }
      });
      node.removeAttribute("aria-invalid");
      if ("value" in node && node.type !== "hidden") { node.value = ""; }
    });
    rows.appendChild(row);
    var first = row.querySelector("input, select, textarea");
    if (first) { first.focus(); }
  });
});
