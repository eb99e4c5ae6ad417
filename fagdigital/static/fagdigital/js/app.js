// fagdigital's small behaviours. Loaded as a file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  function initDesignSystem() {
    if (window.DKFDS && typeof window.DKFDS.init === "function") {
      window.DKFDS.init();
    }
  }

  // Tree rows: the first expansion loads the children with htmx; every click shows or hides them and
  // keeps aria-expanded true to what is shown.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".tree-toggle");
    if (!toggle) return;
    var panel = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!panel) return;
    var expand = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", expand ? "true" : "false");
    panel.hidden = !expand;
    if (expand && !panel.hasAttribute("data-loaded") && window.htmx) {
      panel.setAttribute("data-loaded", "");
      panel.setAttribute("aria-busy", "true");
      window.htmx.ajax("GET", toggle.getAttribute("data-children-url"), {target: panel, swap: "innerHTML"})
        .then(function () { panel.removeAttribute("aria-busy"); });
    }
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

// ===========================================================================================================
// Competence frameworks (fagdigital/frameworks)
// ===========================================================================================================
(function () {
  "use strict";

  // Parts of a page that save on their own with htmx (the target grid) hide their fallback submit buttons.
  document.documentElement.classList.add("js");

  // Inside [data-swap-error-responses], a refused (409) or invalid (422) answer carries its own message
  // for the part of the page it replaces: show it there instead of the generic error.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if ((status === 409 || status === 422) && elt && elt.closest("[data-swap-error-responses]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A saved cell announces what was saved in the page's status region (HX-Trigger: fagdigital:status).
  document.addEventListener("fagdigital:status", function (event) {
    var region = document.getElementById("grid-status");
    if (!region || !event.detail || !event.detail.message) return;
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = event.detail.message;
    }, 50);
  });
})();
