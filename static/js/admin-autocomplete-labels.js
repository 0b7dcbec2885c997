"use strict";
// The admin's autocomplete widgets (select2) draw controls with no accessible name and put a
// <span> straight into a <ul>. Name them after the label of the <select> they stand for, and
// mark the list as a list, each time select2 draws them.
{
  const labelOf = (select) => (select.labels && select.labels.length ? select.labels[0].textContent.replace(/:\s*$/, "").trim() : "");

  const fix = () => {
    for (const container of document.querySelectorAll(".select2-container")) {
      const select = container.previousElementSibling;
      if (!select || select.tagName !== "SELECT") continue;
      const name = labelOf(select);
      for (const control of container.querySelectorAll('.select2-selection, .select2-search__field, [role="textbox"]')) {
        if (name && control.getAttribute("aria-label") !== name) control.setAttribute("aria-label", name);
      }
      for (const list of container.querySelectorAll("ul.select2-selection__rendered")) {
        if (list.getAttribute("role") !== "list") list.setAttribute("role", "list");
      }
    }
  };

  new MutationObserver(fix).observe(document.documentElement, { childList: true, subtree: true });
}
