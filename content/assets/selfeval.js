/* Three things the pages need a browser for.

   1. A table wider than the page scrolls sideways inside its wrapper. Keyboard users
      must be able to reach and scroll it (WCAG 2.1.1), so a wrapper that scrolls becomes
      a focusable region named after its table (each name different, so landmarks can be
      told apart), with a visible "scroll sideways" line above it. When the page is
      widened and the table fits again, all of that goes.
   2. The internal banner sticks to the top of the screen; the header sits below it, so
      the page records the banner's height for the stylesheet.
   3. A figure's period, date and source are behind the figure itself: a button that
      shows or hides them in the sentence, by mouse, touch or keyboard, and announces
      whether they are shown. Escape hides them again.

   Material replaces the page's content without reloading when a reader follows a link,
   so each part runs again on every new page. */
(function () {
  function headingBefore(element) {
    var headings = document.querySelectorAll(".md-content h1, .md-content h2, .md-content h3, .md-content h4");
    var found = null;
    headings.forEach(function (h) {
      if (h.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING) found = h;
    });
    return found ? found.textContent.replace(/[¶#]\s*$/, "").trim() : "";
  }

  function tableName(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var heading = headingBefore(wrap);
    return heading ? "Table under '" + heading + "'" : "Table";
  }

  function cueFor(wrap) {
    var cue = wrap.previousElementSibling;
    if (cue && cue.classList.contains("scroll-cue")) return cue;
    cue = document.createElement("p");
    cue.className = "scroll-cue";
    cue.setAttribute("aria-hidden", "true");  // the region's own name says it scrolls
    cue.textContent = "Scroll sideways to see the whole table \u2192";
    wrap.parentNode.insertBefore(cue, wrap);
    return cue;
  }

  function markTables() {
    var used = {};
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      var cue = wrap.previousElementSibling;
      if (!scrolls) {
        if (wrap.classList.contains("scrolls")) {
          ["tabindex", "role", "aria-label"].forEach(function (a) { wrap.removeAttribute(a); });
          wrap.classList.remove("scrolls");
        }
        if (cue && cue.classList.contains("scroll-cue")) cue.hidden = true;
        return;
      }
      var name = tableName(wrap);
      used[name] = (used[name] || 0) + 1;
      if (used[name] > 1) name += " (" + used[name] + ")";
      wrap.classList.add("scrolls");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", name + ", table, scrolls sideways");
      cueFor(wrap).hidden = false;
    });
  }

  function measureBanner() {
    var banner = document.querySelector("[data-md-component='announce']");
    var inner = banner && banner.querySelector(".internal-banner");
    var height = inner ? banner.getBoundingClientRect().height : 0;
    document.documentElement.style.setProperty("--se-banner-height", height + "px");
  }

  function setFigure(button, open) {
    var about = button.nextElementSibling;
    if (!about || !about.classList.contains("figure-about")) return;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    about.hidden = !open;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.figure-value");
    if (button) setFigure(button, button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = event.target.closest && event.target.closest(".figure");
    var button = open && open.querySelector("button.figure-value[aria-expanded='true']");
    if (button) {
      setFigure(button, false);
      button.focus();
    }
  });

  function update() {
    measureBanner();
    markTables();
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(update);
  } else {
    document.addEventListener("DOMContentLoaded", update);
  }
  window.addEventListener("resize", update);
})();
