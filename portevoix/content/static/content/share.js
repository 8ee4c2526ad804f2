// The share page: the text follows the chosen version and network until the ambassador edits it;
// buttons add the suggested disclosure; the confirmation page copies the text for share pages
// that take only a link. Everything else (checks, gauge, sharing) happens on the server.
(function () {
  "use strict";
  const form = document.getElementById("share-form");
  const text = form ? form.querySelector("textarea[name=text]") : null;
  const data = document.getElementById("share-suggestions");
  const suggestions = data ? JSON.parse(data.textContent) : {};
  let suggested = text ? text.value : "";

  function currentKey() {
    const network = form.querySelector("[name=network]:checked");
    return form.querySelector("[name=variant]").value + ":" + (network ? network.value : "");
  }

  if (form && text) {
    form.addEventListener("change", function (event) {
      if (event.target.name !== "variant" && event.target.name !== "network") return;
      const next = suggestions[currentKey()];
      if (next !== undefined && text.value === suggested) {
        text.value = next;
        suggested = next;
      }
    });
  }

  document.addEventListener("click", function (event) {
    const append = event.target.closest("[data-append]");
    if (append && text) {
      text.value = text.value.trimEnd() + "\n" + append.dataset.append;
      text.dispatchEvent(new Event("input", { bubbles: true }));
      text.focus();
      return;
    }
    const copy = event.target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      const source = document.getElementById(copy.dataset.copy);
      navigator.clipboard.writeText(source.value || source.textContent).then(function () {
        copy.textContent = copy.dataset.copied;
      });
    }
  });
})();
