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
    // Autosaving questionnaires show and retry their own failures.
    if (event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form[data-autosave]")) return;
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

// ===========================================================================================================
// Questionnaires (fagdigital/assessments): autosave with a visible saved state, and retries
// ===========================================================================================================
(function () {
  "use strict";

  var english = document.documentElement.lang === "en";
  var RETRY_DELAYS = [1000, 2000, 5000, 10000, 20000, 30000];
  var pending = new Set();

  function statusRegion() {
    return document.getElementById("save-status");
  }

  function showStatus(text, kind) {
    var region = statusRegion();
    if (!region) return;
    region.textContent = text;
    region.classList.remove("save-status-saved", "save-status-error", "save-status-saving");
    if (kind) region.classList.add("save-status-" + kind);
  }

  // A form with [data-autosave] posts itself (the whole page of answers) at every change. Each save
  // carries every answer on the page, so the next successful save also repairs an earlier failed one.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form[data-autosave]")) return;
    pending.add(form);
    showStatus(english ? "Saving…" : "Gemmer …", "saving");
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form[data-autosave]")) return;
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (event.detail.successful || status === 409 || status === 422) {
      // Saved, or refused with a reason the server put in the status line: retrying would not help.
      pending.delete(form);
      form.removeAttribute("data-retry");
      return;
    }
    var attempt = parseInt(form.getAttribute("data-retry") || "0", 10);
    var delay = RETRY_DELAYS[Math.min(attempt, RETRY_DELAYS.length - 1)];
    form.setAttribute("data-retry", String(attempt + 1));
    showStatus(
      english
        ? "Not saved yet – no connection to the server. Trying again in " + Math.round(delay / 1000) + " s. Your answers are kept on this page."
        : "Ikke gemt endnu – ingen forbindelse til serveren. Prøver igen om " + Math.round(delay / 1000) + " sek. Dine svar er bevaret på siden.",
      "error"
    );
    window.setTimeout(function () {
      if (window.htmx && document.body.contains(form)) window.htmx.trigger(form, "change");
    }, delay);
  });

  // Text (a leader's comment) is saved a moment after typing stops, not only when the field is left.
  var typingTimers = new WeakMap();
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("form[data-autosave] textarea")) return;
    var form = field.form;
    pending.add(form);
    window.clearTimeout(typingTimers.get(field));
    typingTimers.set(field, window.setTimeout(function () {
      if (window.htmx) window.htmx.trigger(form, "change");
    }, 1500));
  });

  // Leaving the page with an unsaved change asks first.
  window.addEventListener("beforeunload", function (event) {
    if (pending.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Submitting a form marked [data-submit-once] disables its button against double clicks (the server
  // is idempotent anyway).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-submit-once]")) return;
    if (form.getAttribute("data-submitting") === "true") {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-submitting", "true");
    // The form's own submit button stays in the request; disabling it right away would drop its value.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });
})();

// ===========================================================================================================
// Shared page behaviour (fagdigital/core): error summaries, the main menu's disclosures
// ===========================================================================================================
(function () {
  "use strict";

  var english = document.documentElement.lang === "en";

  // A page or an htmx swap that shows form errors moves the focus to the error summary (the design
  // system's pattern), so keyboard and screen reader users learn at once what to correct.
  function focusSummary(scope) {
    var summary = scope.querySelector('[data-module="error-summary"]');
    if (summary && !summary.contains(document.activeElement)) {
      summary.focus();
    }
    return summary;
  }

  // Links in a summary move the focus to their field (also in summaries htmx brought in, which the
  // design system's own handler never saw).
  document.addEventListener("click", function (event) {
    var link = event.target.closest('[data-module="error-summary"] a[href^="#"]');
    if (!link || event.defaultPrevented) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var group = field.closest(".form-group") || field;
    group.scrollIntoView();
    field.focus({preventScroll: true});
  });

  // A form that shows field errors without a summary (a page that does not use the shared
  // includes/form_errors.html) gets one built from its messages, so every form behaves the same.
  function summariseErrors() {
    if (document.querySelector('[data-module="error-summary"]')) return;
    var messages = Array.prototype.filter.call(
      document.querySelectorAll("main form .form-error-message"),
      function (message) {
        return !message.closest("[data-autosave], [data-swap-error-responses]");
      }
    );
    if (!messages.length) return;
    var summary = document.createElement("div");
    summary.className = "alert alert-error error-summary";
    summary.setAttribute("role", "alert");
    summary.setAttribute("data-module", "error-summary");
    summary.tabIndex = -1;
    var body = document.createElement("div");
    body.className = "alert-body";
    var heading = document.createElement("h2");
    heading.className = "alert-heading h3";
    heading.textContent = english ? "There are problems" : "Der er problemer";
    var list = document.createElement("ul");
    list.className = "alert-text nobullet-list";
    messages.forEach(function (message) {
      var group = message.closest(".form-group");
      var field = group && group.querySelector("input:not([type=hidden]), select, textarea");
      var label = group && group.querySelector("label.form-label, legend");
      // The message without its screen-reader prefix ("Fejl:"), after the field's label.
      var text = message.cloneNode(true);
      text.querySelectorAll(".sr-only").forEach(function (hidden) { hidden.remove(); });
      var wording = (label ? label.textContent.trim() + ": " : "") + text.textContent.trim();
      var item = document.createElement("li");
      if (field && field.id) {
        var link = document.createElement("a");
        link.className = "function-link";
        link.href = "#" + field.id;
        link.textContent = wording;
        item.appendChild(link);
      } else {
        item.textContent = wording;
      }
      list.appendChild(item);
    });
    body.appendChild(heading);
    body.appendChild(list);
    summary.appendChild(body);
    var form = messages[0].closest("form");
    form.parentNode.insertBefore(summary, form);
  }

  function onLoad() {
    summariseErrors();
    focusSummary(document);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onLoad);
  } else {
    onLoad();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    if (target && target.querySelector) focusSummary(target);
  });

  // The main menu's disclosures (<details>): one open at a time; Escape or a click elsewhere closes.
  var menus = function () {
    return document.querySelectorAll(".app-nav details.nav-disclosure");
  };
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!opened.matches || !opened.matches(".app-nav details.nav-disclosure") || !opened.open) return;
    menus().forEach(function (menu) {
      if (menu !== opened) menu.open = false;
    });
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = document.activeElement && document.activeElement.closest(".app-nav details[open]");
    if (!menu) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });
  document.addEventListener("click", function (event) {
    menus().forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  });
  // Tabbing out of an open menu closes it.
  document.addEventListener("focusin", function (event) {
    menus().forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  });
})();

// ===========================================================================================================
// The framework target grid on narrow screens: one role profile's column at a time
// ===========================================================================================================
(function () {
  "use strict";

  function apply(picker) {
    var table = document.getElementById(picker.getAttribute("aria-controls"));
    if (!table) return;
    var chosen = picker.value;
    table.classList.toggle("grid-one-role", chosen !== "");
    table.querySelectorAll("[data-role]").forEach(function (cell) {
      cell.classList.toggle("grid-role-off", chosen !== "" && cell.getAttribute("data-role") !== chosen);
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-grid-role-picker]")) apply(event.target);
  });
  // A saved cell comes back from the server without the class that hides it.
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("[data-grid-role-picker]").forEach(apply);
  });
  function init() {
    document.querySelectorAll("[data-grid-role-picker]").forEach(function (picker) {
      picker.closest(".grid-role-picker").hidden = false;
      apply(picker);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
