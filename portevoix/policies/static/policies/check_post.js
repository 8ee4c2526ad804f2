// A numbered label in the highlighted preview opens the finding it names and moves focus to its
// summary, so a keyboard or screen reader user lands on what they asked for. Listening on the
// document keeps working after htmx swaps the findings in; without JavaScript the label is still
// a link to the finding, which the reader opens by hand.
document.addEventListener("click", (event) => {
  if (!(event.target instanceof Element)) return;
  const link = event.target.closest(".check-preview a.finding-tag");
  if (!(link instanceof HTMLAnchorElement) || !link.hash) return;
  const finding = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!(finding instanceof HTMLDetailsElement)) return;
  event.preventDefault();
  finding.open = true;
  history.pushState(null, "", link.hash); // as following the link would: Back returns to the text
  const summary = finding.querySelector("summary");
  if (summary) summary.focus();
});
