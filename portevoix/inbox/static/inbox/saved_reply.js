// Choosing a saved reply puts its text in the reply box, where it can be edited before sending.
document.addEventListener("change", (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || select.id !== "saved-reply" || !select.value) return;
  const box = document.getElementById(select.dataset.target);
  if (!box) return;
  box.value = select.value;
  box.dispatchEvent(new Event("input", { bubbles: true }));
  box.focus();
});
