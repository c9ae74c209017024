// Quick exit: a click on the exit control (or Enter on it), Esc, or Shift pressed on its own three times
// within five seconds blanks the page at once and replaces this page in the history with a neutral site.
(function () {
  "use strict";
  var SHIFT_PRESSES = 3;
  var SHIFT_WINDOW_MS = 5000;
  var shiftTimes = [];

  function exitTarget() {
    var control = document.getElementById("quick-exit");
    return (control && control.getAttribute("data-exit-url")) || "about:blank";
  }

  function quickExit(event) {
    if (event) { event.preventDefault(); }
    var target = exitTarget();  // read before the page (and the control holding the URL) is blanked
    document.documentElement.classList.add("quick-exited");
    document.title = "";
    if (document.body) { document.body.innerHTML = ""; }
    // replace(), not assign(): the Back button must not bring this page back.
    window.location.replace(target);
  }

  // Only a Shift pressed and released on its own counts: Shift+Tab (moving back through the page by
  // keyboard) and capital letters use Shift too, and must never throw someone out of Haven.
  var shiftAlone = false;

  function onKeyDown(event) {
    // Esc inside an input method's composition (Arabic, Bengali, ... keyboards) cancels the composition.
    if (event.key === "Escape" && !event.isComposing) { quickExit(event); return; }
    if (event.key !== "Shift") { shiftAlone = false; return; }
    if (!event.repeat) { shiftAlone = true; }
  }

  function onKeyUp(event) {
    if (event.key !== "Shift" || !shiftAlone) { return; }
    shiftAlone = false;
    var now = Date.now();
    shiftTimes = shiftTimes.filter(function (t) { return now - t < SHIFT_WINDOW_MS; });
    shiftTimes.push(now);
    if (shiftTimes.length >= SHIFT_PRESSES) { quickExit(event); }
  }

  document.addEventListener("keydown", onKeyDown, true);
  document.addEventListener("keyup", onKeyUp, true);
  document.addEventListener("click", function (event) {
    var control = event.target.closest && event.target.closest("#quick-exit");
    if (control) { quickExit(event); }
  }, true);
  window.havenQuickExit = quickExit;
})();
