/* The filter box of a checkbox list (templates/meetings/_macros.html, checkbox_list): shown
   only with JavaScript; hides the choices whose label does not contain what is typed. Checked
   boxes stay in the form, hidden or not. */
(function () {
  "use strict";
  document.querySelectorAll("[data-checklist-filter]").forEach(function (box) {
    var list = document.getElementById(box.getAttribute("data-checklist-filter"));
    var input = box.querySelector("input");
    var count = box.querySelector("[data-checklist-count]");
    if (!list || !input) { return; }
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    box.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.toLocaleLowerCase().trim();
      var shown = 0;
      items.forEach(function (item) {
        var match = !words || item.textContent.toLocaleLowerCase().indexOf(words) !== -1;
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      if (count) { count.textContent = words ? shown + " / " + items.length : ""; }
    });
  });
})();
