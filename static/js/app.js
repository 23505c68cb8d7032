// Behaviour shared by every page. The Content-Security-Policy runs no inline script (no onclick=,
// no javascript: links, no style= attributes), so templates declare intent with data attributes
// and this file, served from our own origin, acts on them.
(function () {
  "use strict";

  // Width of Bootstrap progress bars from data-progress (a percentage), also in htmx-swapped parts.
  function sizeProgressBars(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      const percent = Math.max(0, Math.min(100, Number(bar.dataset.progress) || 0));
      bar.style.width = percent + "%";
    });
  }

  // <select data-submit-on-change>: choosing an option submits its form (the language switcher).
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-submit-on-change]") && event.target.form) {
      event.target.form.submit();
    }
  });

  // <a data-history-back> goes back (Cancel); <button data-print> prints the page (receipts).
  document.addEventListener("click", function (event) {
    const trigger = event.target.closest("[data-history-back], [data-print]");
    if (!trigger) {
      return;
    }
    event.preventDefault();
    if (trigger.hasAttribute("data-print")) {
      window.print();
    } else {
      window.history.back();
    }
  });

  // htmx requests carry the CSRF token (hx-headers on <body>); a failed one shows its status.
  document.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr.status;
    const box = document.getElementById("htmx-error");
    if (box) {
      box.textContent = box.dataset.message + " (" + status + ")";
      box.classList.remove("d-none");
    }
  });

  // A form shown again with errors: focus its summary (core/includes/form_errors.html), so that
  // keyboard and screen-reader users start at what needs correcting.
  function focusErrorSummary() {
    const summary = document.querySelector("[data-error-summary]");
    if (summary) {
      // A form posted from a URL ending in #main-content (the skip link) comes back with it, and the
      // browser would then move the focus to that fragment's target instead.
      if (window.location.hash) {
        window.history.replaceState(null, "", window.location.pathname + window.location.search);
      }
      summary.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrorSummary);
  } else {
    focusErrorSummary();
  }

  // A table larger than its .table-responsive box scrolls: keyboard users must be able to
  // reach it (WCAG 2.1.1; axe's scrollable-region-focusable), so such a box takes the focus and is
  // named by its table's caption, label or the heading of its card. Checked again on resize.
  function focusableScrollers(root) {
    (root.querySelectorAll ? root : document).querySelectorAll(".table-responsive").forEach(function (box) {
      // (Height too: a table one pixel taller than its box, its last border, makes the box scroll.)
      if (box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight) {
        box.setAttribute("tabindex", "0");
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
          const table = box.querySelector("table");
          const caption = table && table.querySelector("caption");
          const card = box.closest(".card");
          const heading = card && card.querySelector(".card-header, h2, h3");
          const name = (caption && caption.textContent) || (table && table.getAttribute("aria-label")) ||
            (heading && heading.textContent) || "";
          if (name.trim()) {
            box.setAttribute("role", "region");
            box.setAttribute("aria-label", name.trim().replace(/\s+/g, " "));
          }
        }
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }

  function onLoad(root) {
    sizeProgressBars(root);
    focusableScrollers(root);
  }
  window.addEventListener("resize", function () { focusableScrollers(document); });

  if (window.htmx) {
    window.htmx.onLoad(onLoad);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { onLoad(document); });
  } else {
    onLoad(document);
  }
})();
