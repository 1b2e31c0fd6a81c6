/* casus dashboard: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  function marksFor(id) {
    var out = [];
    each("[data-ev]", function (el) {
      if ((" " + el.getAttribute("data-ev") + " ").indexOf(" " + id + " ") >= 0) { out.push(el); }
    });
    return out;
  }

  /* Document pages: the event named in the URL (#ev-ID) is highlighted in the text and the list. */
  function showCurrent() {
    each(".current", function (el) { el.classList.remove("current"); });
    var m = /^#ev-([0-9A-Za-z_-]+)$/.exec(window.location.hash || "");
    if (!m) { return; }
    marksFor(m[1]).forEach(function (el) { el.classList.add("current"); });
  }

  /* Hovering an event (list item or table row) lights up its sentence and trigger, and back. */
  function linkHover() {
    each(".ev-item, .ev-row, mark.trigger, .evsent", function (el) {
      el.addEventListener("mouseenter", function () {
        (el.getAttribute("data-ev") || "").split(" ").forEach(function (id) {
          if (id) { marksFor(id).forEach(function (x) { x.classList.add("hover"); }); }
        });
      });
      el.addEventListener("mouseleave", function () {
        each(".hover", function (x) { x.classList.remove("hover"); });
      });
    });
  }

  /* Filter forms: changing a drop-down applies it at once. */
  function autosubmit() {
    each("select.autosubmit", function (sel) {
      sel.addEventListener("change", function () { if (sel.form) { sel.form.submit(); } });
    });
  }

  /* Code page: a character count, so a person sees what they pasted. */
  function charCount() {
    var area = document.getElementById("article-input");
    var out = document.getElementById("char-count");
    if (!area || !out) { return; }
    var update = function () { out.textContent = area.value.length.toLocaleString() + " characters"; };
    area.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.documentElement.classList.add("js");
    showCurrent();
    linkHover();
    autosubmit();
    charCount();
    window.addEventListener("hashchange", showCurrent);
  });
}());
