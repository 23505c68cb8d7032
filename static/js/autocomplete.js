// Choices among many rows (core/widgets.py, core/templates/core/widgets/autocomplete.html): a
// <select> holding only the chosen option and a search box, a combobox whose listbox shows the
// options core:autocomplete answers for what is typed. Picking one (click, or arrows and Enter)
// puts it into the select and fires its change event, so a filter form submits as before.
// No inline script: the markup declares data-autocomplete and this file acts on it, also in parts
// swapped in by htmx (the listeners are delegated to the document).
(function () {
  "use strict";

  const DELAY = 200;
  const timers = new WeakMap();
  const requests = new WeakMap();
  let counter = 0;

  function parts(box) {
    return {
      input: box.querySelector("[data-autocomplete-input]"),
      select: box.querySelector("select"),
      listbox: box.querySelector("[data-autocomplete-listbox]"),
      status: box.querySelector("[data-autocomplete-status]"),
    };
  }

  function options(box) {
    return Array.from(parts(box).listbox.querySelectorAll("[role=option]"));
  }

  function close(box) {
    const p = parts(box);
    p.listbox.hidden = true;
    p.listbox.replaceChildren();
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
  }

  function activate(box, index) {
    const p = parts(box);
    const items = options(box);
    items.forEach(function (item, i) {
      const active = i === index;
      item.classList.toggle("active", active);
      item.setAttribute("aria-selected", active ? "true" : "false");
      if (active) {
        p.input.setAttribute("aria-activedescendant", item.id);
        item.scrollIntoView({ block: "nearest" });
      }
    });
  }

  function activeIndex(box) {
    return options(box).findIndex(function (item) { return item.classList.contains("active"); });
  }

  function pick(box, item) {
    const p = parts(box);
    const id = item.dataset.id;
    const text = item.textContent;
    if (box.hasAttribute("data-multiple")) {
      let option = Array.from(p.select.options).find(function (o) { return o.value === id; });
      if (!option) {
        option = new Option(text, id, true, true);
        p.select.add(option);
      }
      option.selected = true;
    } else {
      // Keep the empty choice (全部), replace the chosen one.
      Array.from(p.select.options).forEach(function (o) {
        if (o.value !== "") {
          o.remove();
        }
      });
      p.select.add(new Option(text, id, true, true));
      p.select.value = id;
    }
    p.input.value = "";
    close(box);
    p.status.textContent = text;
    p.select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function show(box, data) {
    const p = parts(box);
    p.listbox.replaceChildren();
    const results = data.results || [];
    results.forEach(function (result) {
      const item = document.createElement("li");
      counter += 1;
      item.id = p.listbox.id + "_" + counter;
      item.className = "list-group-item list-group-item-action py-1 small";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.id = String(result.id);
      item.textContent = result.text;
      p.listbox.appendChild(item);
    });
    p.listbox.style.maxHeight = "16rem";
    p.listbox.hidden = results.length === 0;
    p.input.setAttribute("aria-expanded", results.length ? "true" : "false");
    p.input.removeAttribute("aria-activedescendant");
    let message = results.length ? String(results.length) : box.dataset.emptyText;
    if (data.more) {
      message += " · " + box.dataset.moreText;
    }
    p.status.textContent = message;
  }

  function search(box) {
    const p = parts(box);
    const q = p.input.value.trim();
    const previous = requests.get(box);
    if (previous) {
      previous.abort();
    }
    if (!q) {
      close(box);
      p.status.textContent = "";
      return;
    }
    const controller = new AbortController();
    requests.set(box, controller);
    const url = box.dataset.url + "?q=" + encodeURIComponent(q);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, signal: controller.signal })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        if (p.input.value.trim() === q) {
          show(box, data);
        }
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          close(box);
          p.status.textContent = box.dataset.errorText + " (" + error.message + ")";
        }
      });
  }

  document.addEventListener("input", function (event) {
    const input = event.target.closest("[data-autocomplete-input]");
    if (!input) {
      return;
    }
    const box = input.closest("[data-autocomplete]");
    clearTimeout(timers.get(box));
    timers.set(box, setTimeout(function () { search(box); }, DELAY));
  });

  document.addEventListener("keydown", function (event) {
    const input = event.target.closest("[data-autocomplete-input]");
    if (!input) {
      return;
    }
    const box = input.closest("[data-autocomplete]");
    const items = options(box);
    const open = !parts(box).listbox.hidden && items.length > 0;
    const index = activeIndex(box);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!open) {
        search(box);
        return;
      }
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      activate(box, (index + step + items.length) % items.length);
    } else if (event.key === "Enter") {
      // Enter in the search box picks an option; it never submits the form with the text typed.
      event.preventDefault();
      if (open) {
        pick(box, items[index >= 0 ? index : 0]);
      }
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close(box);
    }
  });

  // mousedown, not click: the search box would lose the focus (and close the list) first.
  document.addEventListener("mousedown", function (event) {
    const item = event.target.closest("[data-autocomplete-listbox] [role=option]");
    if (item) {
      event.preventDefault();
      pick(item.closest("[data-autocomplete]"), item);
    }
  });

  document.addEventListener("focusout", function (event) {
    const input = event.target.closest && event.target.closest("[data-autocomplete-input]");
    if (input) {
      const box = input.closest("[data-autocomplete]");
      setTimeout(function () {
        if (!box.contains(document.activeElement)) {
          close(box);
        }
      }, 0);
    }
  });

  // The search box is useless without this file: it is shown only once it runs.
  function reveal(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("[data-autocomplete-input][hidden]").forEach(
      function (input) { input.hidden = false; }
    );
  }
  if (window.htmx) {
    window.htmx.onLoad(reveal);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  } else {
    reveal(document);
  }
})();
