/* A table wider than the page scrolls sideways inside its wrapper. Keyboard users must be
   able to reach and scroll it too (WCAG 2.1.1), so a wrapper that scrolls becomes a
   focusable, labelled region. Material creates the wrappers as each page loads. */
(function () {
  function label(wrap) {
    var caption = wrap.querySelector("caption");
    return caption ? caption.textContent.trim() + " (table, scrolls sideways)" : "Table, scrolls sideways";
  }
  function mark() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", label(wrap));
      }
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(mark);
  } else {
    document.addEventListener("DOMContentLoaded", mark);
  }
  window.addEventListener("resize", mark);
})();
