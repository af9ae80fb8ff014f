/* Keyboard use of the theme's navigation drawer, search and nested menus.
 *
 * The theme opens its drawer and search with hidden checkboxes that only a pointer can
 * reach. The header's buttons (partials/header.html) set those checkboxes here, keep
 * aria-expanded true to them, move focus into what opened, and give it back to the button
 * on Escape. On narrow screens the drawer's nested menus open with Enter or Space, and the
 * "back" title of an open menu is reachable too; keyboard.css hides whatever is closed, so
 * Tab never lands on a link nobody can see. Permalinks beside headings stay out of the tab
 * order (see the hooks), so none of this has to step over them.
 */
(function () {
  "use strict";

  var narrow = window.matchMedia("(max-width: 76.234375em)");
  var FOCUSABLE = "a[href], button, input, label[tabindex], [tabindex]:not([tabindex='-1'])";

  function toggle(id) { return document.getElementById(id); }

  function buttonFor(id) { return document.querySelector("[data-selfeval-toggle='" + id + "']"); }

  function shown(el) {
    if (!el.getClientRects().length) return false;
    return el.checkVisibility ? el.checkVisibility({ visibilityProperty: true, opacityProperty: false }) : true;
  }

  function set(id, value) {
    var input = toggle(id);
    if (!input || input.checked === value) return;
    input.checked = value;
    input.dispatchEvent(new Event("change"));
    sync(id);
  }

  function sync(id) {
    var input = toggle(id), button = buttonFor(id);
    if (input && button) button.setAttribute("aria-expanded", input.checked ? "true" : "false");
  }

  function drawer() { return document.querySelector(".md-sidebar--primary"); }

  function focusFirstIn(container) {
    if (!container) return;
    var items = container.querySelectorAll(FOCUSABLE);
    for (var i = 0; i < items.length; i++) {
      if (shown(items[i])) { items[i].focus({ preventScroll: false }); return; }
    }
  }

  function openDrawer() {
    set("__drawer", true);
    // The drawer is made visible at once; focus its first visible item on the next frame.
    window.requestAnimationFrame(function () { focusFirstIn(drawer()); });
  }

  function closeDrawer(returnFocus) {
    set("__drawer", false);
    var button = buttonFor("__drawer");
    if (returnFocus && button) button.focus();
  }

  /* Section titles open nested menus on narrow screens only; on wide ones they are plain
     headings. The theme leaves them out of the tab order, so add them where they act. */
  function menuLabels() {
    return document.querySelectorAll(".md-nav--primary .md-nav__item--section > label.md-nav__link, "
      + ".md-nav--primary .md-nav__item--section > .md-nav__container > label.md-nav__link, "
      + ".md-nav--primary .md-nav[data-md-level] > label.md-nav__title, "
      // The current page's entry opens its table of contents, which has a title too.
      + ".md-nav--primary label.md-nav__link[for='__toc'], .md-nav--primary .md-nav--secondary > label.md-nav__title");
  }

  function arrangeForWidth() {
    var labels = menuLabels();
    for (var i = 0; i < labels.length; i++) {
      var title = labels[i].classList.contains("md-nav__title");
      var level = title ? labels[i].parentElement.getAttribute("data-md-level") : null;
      // Entries the theme makes tab stops itself (closed, non-section menus) keep theirs.
      if (labels[i].hasAttribute("tabindex") && !labels[i].hasAttribute("data-selfeval-tab")) continue;
      if (narrow.matches && level !== "0") {
        labels[i].setAttribute("tabindex", "0");
        labels[i].setAttribute("data-selfeval-tab", "");
      } else {
        labels[i].removeAttribute("tabindex");
        labels[i].removeAttribute("data-selfeval-tab");
      }
    }
    if (!narrow.matches && toggle("__drawer") && toggle("__drawer").checked) set("__drawer", false);
  }

  function onKeydown(event) {
    var target = event.target;
    if (event.key === "Escape") {
      if (toggle("__drawer") && toggle("__drawer").checked) {
        event.preventDefault();
        closeDrawer(true);
      } else if (toggle("__search") && toggle("__search").checked) {
        // The theme closes the search on Escape; put focus back where the reader opened it.
        var button = buttonFor("__search");
        window.setTimeout(function () {
          sync("__search");
          if (button && shown(button)) button.focus();
        }, 0);
      }
      return;
    }
    if ((event.key === " " || event.key === "Enter") && target instanceof HTMLLabelElement
        && target.htmlFor && target.closest(".md-nav--primary")) {
      // Enter or Space on a menu title opens or closes its menu, as on a button; the
      // theme's own Enter handler is not also run, or the menu would open and shut at once.
      event.preventDefault();
      event.stopPropagation();
      target.click();
      var input = toggle(target.htmlFor);
      if (!input) return;
      // After the menu has slid in (keyboard.css shows it at once; the move takes 0.25 s).
      window.setTimeout(function () {
        var menu = input.checked ? input.parentElement.querySelector(":scope > .md-nav") : null;
        if (menu) { focusFirstIn(menu); return; }
        // A menu closed by its title: back to the entry that opened it.
        var opener = document.getElementById(target.htmlFor + "_label");
        if (opener && shown(opener)) opener.focus();
      }, 300);
    }
  }

  function onButton(event) {
    var id = event.currentTarget.getAttribute("data-selfeval-toggle");
    if (id === "__drawer") {
      if (toggle(id).checked) closeDrawer(true); else openDrawer();
    } else {
      var opening = !toggle(id).checked;
      set(id, opening);
      var input = document.querySelector(".md-search__input");
      if (opening && input) window.requestAnimationFrame(function () { input.focus(); });
    }
  }

  function onFocusIn(event) {
    // Tabbing out of the open drawer closes it: what it covers gets the focus, and is seen.
    var panel = drawer(), button = buttonFor("__drawer");
    if (!toggle("__drawer") || !toggle("__drawer").checked || !narrow.matches) return;
    if (panel && !panel.contains(event.target) && event.target !== button) set("__drawer", false);
  }

  function start() {
    // A browser that restores form state may bring a page back with its drawer open.
    ["__drawer", "__search"].forEach(function (id) {
      if (toggle(id)) {
        if (toggle(id).checked) set(id, false);
        toggle(id).addEventListener("change", function () { sync(id); });
      }
      var button = buttonFor(id);
      if (button) button.addEventListener("click", onButton);
    });
    arrangeForWidth();
    narrow.addEventListener("change", arrangeForWidth);
    document.addEventListener("keydown", onKeydown, true);
    document.addEventListener("focusin", onFocusIn);
    window.addEventListener("pageshow", function () { sync("__drawer"); sync("__search"); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
