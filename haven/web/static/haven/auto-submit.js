// A select marked data-auto-submit sends its form as soon as a choice is made (the language switcher).
// It lives in a file, not in an onchange attribute, because the Content-Security-Policy runs no inline
// code. Without JavaScript the form's <noscript> button sends it instead.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!(field instanceof HTMLSelectElement) || !field.hasAttribute("data-auto-submit") || !field.form) {
      return;
    }
    if (field.form.requestSubmit) { field.form.requestSubmit(); } else { field.form.submit(); }
  });
})();
