// A select marked data-auto-submit sends its form as soon as a choice is made (the language switcher).
// It lives in a file, not in an onchange attribute, because the Content-Security-Policy runs no inline
// code. Without JavaScript the form's <noscript> button sends it instead.
//
// By keyboard, the arrow keys change a closed select's value one option at a time, each with a change
// event: sending the form on each would reload the page before she reaches the language she wants. So a
// choice made with keys is sent when she presses Enter or moves on (Tab), one made with a pointer at once.
(function () {
  "use strict";

  function autoSubmitting(target) {
    return target instanceof HTMLSelectElement && target.hasAttribute("data-auto-submit") && target.form
      ? target : null;
  }

  function send(field) {
    delete field.dataset.keyed;
    if (field.form.requestSubmit) { field.form.requestSubmit(); } else { field.form.submit(); }
  }

  function changedSinceLoad(field) {
    var chosen = field.options[field.selectedIndex];
    return Boolean(chosen) && !chosen.defaultSelected;
  }

  document.addEventListener("keydown", function (event) {
    var field = autoSubmitting(event.target);
    if (!field) { return; }
    if (event.key === "Enter" && changedSinceLoad(field)) { event.preventDefault(); send(field); return; }
    if (event.key !== "Tab" && event.key !== "Shift") { field.dataset.keyed = "yes"; }
  });
  document.addEventListener("pointerdown", function (event) {
    var field = autoSubmitting(event.target);
    if (field) { delete field.dataset.keyed; }
  });
  document.addEventListener("change", function (event) {
    var field = autoSubmitting(event.target);
    if (field && !field.dataset.keyed) { send(field); }
  });
  document.addEventListener("focusout", function (event) {
    var field = autoSubmitting(event.target);
    if (field && field.dataset.keyed && changedSinceLoad(field)) { send(field); }
  });
})();
