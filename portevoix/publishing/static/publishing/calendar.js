/* The editorial calendar: drag a post to another day (month view) or hour (week view).
 *
 * The drop posts the new local time to the post's "move" address with htmx, which answers with
 * the redrawn calendar (or the reason the move was refused). Without a mouse, or without
 * JavaScript, the post's own page has a "Move to" form that does the same.
 */
(function () {
  "use strict";
  var dragged = null;

  function slotOf(event) {
    return event.target instanceof Element ? event.target.closest("[data-slot]") : null;
  }

  function clearTargets() {
    document.querySelectorAll(".drop-target").forEach(function (element) {
      element.classList.remove("drop-target");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target instanceof Element ? event.target.closest("[data-move-url]") : null;
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.moveUrl);
  });

  document.addEventListener("dragend", function () {
    dragged = null;
    clearTargets();
  });

  document.addEventListener("dragover", function (event) {
    var slot = slotOf(event);
    if (!slot || !dragged) return;
    event.preventDefault();
    if (!slot.classList.contains("drop-target")) {
      clearTargets();
      slot.classList.add("drop-target");
    }
  });

  document.addEventListener("drop", function (event) {
    var slot = slotOf(event);
    if (!slot || !dragged) return;
    event.preventDefault();
    clearTargets();
    // data-slot is a day ("2026-05-04": keep the post's time) or an hour ("2026-05-04T09": keep its minutes).
    var time = dragged.dataset.time;
    var slotValue = slot.dataset.slot;
    var when = slotValue.length === 10 ? slotValue + "T" + time : slotValue + ":" + time.slice(3);
    var calendar = document.getElementById("calendar");
    htmx.ajax("POST", dragged.dataset.moveUrl, {
      source: calendar,
      target: "#calendar",
      swap: "outerHTML",
      values: {scheduled_at: when, calendar: calendar.dataset.query},
      headers: {"X-CSRFToken": calendar.dataset.csrf},
    });
    dragged = null;
  });
})();
