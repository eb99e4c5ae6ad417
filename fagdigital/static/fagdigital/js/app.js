// fagdigital's small behaviours. Loaded as a file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  function initDesignSystem() {
    if (window.DKFDS && typeof window.DKFDS.init === "function") {
      window.DKFDS.init();
    }
  }

  // Tree rows: the first click loads the children with htmx (hx-trigger="click once");
  // every click shows or hides them and keeps aria-expanded true to what is shown.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".tree-toggle");
    if (!toggle) return;
    var panel = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!panel) return;
    var expand = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", expand ? "true" : "false");
    panel.hidden = !expand;
  });

  // A failed htmx request must never pass silently: show a message where the user is looking.
  document.addEventListener("htmx:responseError", function (event) {
    var target = event.detail.target;
    if (!target) return;
    var message = document.createElement("p");
    message.className = "form-error-message";
    message.setAttribute("role", "alert");
    message.textContent = document.documentElement.lang === "en"
      ? "Something went wrong. Please try again."
      : "Noget gik galt. Prøv igen.";
    target.appendChild(message);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initDesignSystem);
  } else {
    initDesignSystem();
  }
})();
