/* After a failed submit the server draws the form again with its errors. Put the keyboard focus on the
   error summary (templates/_form_errors.html) or, where a form has none, on the first invalid field,
   so that a keyboard or screen-reader user starts from what needs fixing instead of the top of the page. */
(function () {
  "use strict";
  function focusFirstError() {
    var target =
      document.querySelector("[data-error-summary]") ||
      document.querySelector("main [aria-invalid='true'], main .is-invalid");
    if (!target) return;
    if (!target.matches("a[href], button, input, select, textarea, [tabindex]")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirstError);
  } else {
    focusFirstError();
  }

})();
