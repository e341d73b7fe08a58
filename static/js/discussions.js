// Replying in a thread (issue 17), loaded as a file: the Content-Security-Policy forbids inline
// script. Without JavaScript «Rispondi» and «Cita» lead to the reply page, which shows the post
// answered; with it they open the reply form under the post (one at a time), which sends to the
// same address. What is typed in a reply is kept in this browser (localStorage, one draft per
// thread and post answered) until it is published: leaving the page, or «Annulla», keeps it.
(function () {
  "use strict";
  var PREFIX = "cop-reply-draft:";

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }  // blocked by the browser
  }
  function load(key) {
    var store = storage();
    try { return (store && store.getItem(PREFIX + key)) || ""; } catch (error) { return ""; }
  }
  function save(key, text) {
    var store = storage();
    if (!store) { return; }
    try {
      if (text.trim()) { store.setItem(PREFIX + key, text); } else { store.removeItem(PREFIX + key); }
    } catch (error) { /* full: the form still holds the text */ }
  }
  // The draft first, then what the form starts with (a quote), unless the draft already has it.
  function merge(draft, start) {
    if (!draft) { return start; }
    if (!start.trim() || draft.indexOf(start.trim()) >= 0) { return draft; }
    return draft.replace(/\s+$/, "") + "\n\n" + start;
  }
  function keep(form, key) {
    var textarea = form.querySelector('textarea[name="body"]');
    if (!textarea) { return null; }
    textarea.addEventListener("input", function () { save(key, textarea.value); });
    return textarea;
  }

  // The reply just published (the server names it after its redirect): its draft is done.
  var posts = document.querySelector(".cop-posts[data-thread-id]");
  var posted = posts && posts.getAttribute("data-posted-draft");
  if (posted) { save(posted, ""); }

  // Forms already in the page: the thread's own reply form, the reply page. A form sent back
  // (a preview, errors: data-unsaved) holds the newest text and is left as it is.
  document.querySelectorAll("form[data-reply-draft]").forEach(function (form) {
    var key = form.getAttribute("data-reply-draft");
    var textarea = keep(form, key);
    if (!textarea || form.querySelector("[data-unsaved]")) { return; }
    textarea.value = merge(load(key), textarea.value);
  });

  var template = document.getElementById("cop-inline-reply");
  if (!template || !posts) { return; }
  var threadId = posts.getAttribute("data-thread-id");
  var current = null;  // {postId, form, toggle}

  function close(focusBack) {
    if (!current) { return; }
    var toggle = current.toggle;
    current.form.remove();  // disconnected: layout.js no longer warns about it
    toggle.setAttribute("aria-expanded", "false");
    toggle.removeAttribute("aria-controls");
    current = null;
    if (focusBack) { toggle.focus(); }
  }

  function focusEnd(textarea) {
    textarea.focus();
    textarea.selectionStart = textarea.selectionEnd = textarea.value.length;
  }

  function open(postId, start) {
    var article = document.getElementById("post-" + postId);
    var toggle = article && article.querySelector("a.cop-reply-to");
    if (!toggle) { return false; }
    var key = threadId + ":" + postId;
    if (current && current.postId === postId) {
      var textarea = current.form.querySelector("textarea");
      if (start) {
        textarea.value = merge(textarea.value, start);
        save(key, textarea.value);
      }
      focusEnd(textarea);
      return true;
    }
    close(false);
    var form = template.content.firstElementChild.cloneNode(true);
    form.id = "reply-form-" + postId;
    form.setAttribute("data-reply-draft", key);
    form.querySelector('[name="parent_id"]').value = postId;
    var field = keep(form, key);
    field.value = merge(load(key), start || "");
    if (start) { save(key, field.value); }
    form.querySelector("[data-reply-cancel]").addEventListener("click", function () {
      close(true);
    });
    var actions = article.querySelector(".cop-post-actions");
    actions.parentNode.insertBefore(form, actions.nextSibling);
    var editor = form.querySelector(".cop-editor[data-mentions-url]");
    if (editor && window.copMentions) { window.copMentions(editor); }
    toggle.setAttribute("aria-expanded", "true");
    toggle.setAttribute("aria-controls", form.id);
    current = {postId: postId, form: form, toggle: toggle};
    focusEnd(field);
    return true;
  }

  document.querySelectorAll("a.cop-reply-to").forEach(function (toggle) {
    toggle.setAttribute("aria-expanded", "false");
  });

  // Listening on the document runs after cop.js, which adds the passage selected to «Cita».
  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey ||
        event.shiftKey || event.altKey) { return; }  // a new tab: the reply page
    var link = event.target.closest && event.target.closest("a.cop-reply-to, a.cop-quote");
    if (!link || !posts.contains(link)) { return; }
    var postId = link.getAttribute("data-post-id");
    if (link.classList.contains("cop-reply-to")) {
      event.preventDefault();
      if (current && current.postId === postId) { close(true); } else { open(postId, ""); }
      return;
    }
    // «Cita»: the server writes the quote (from the post's Markdown) in its reply page.
    event.preventDefault();
    var href = link.href;
    fetch(href, {credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var quoted = page.querySelector('form[data-reply-draft] textarea[name="body"]');
        if (!quoted || !open(postId, quoted.value)) { window.location.href = href; }
      })
      .catch(function () { window.location.href = href; });
  });
})();
