// The leader's team grid (assessments/leader/grid.html): the table of forms becomes a WAI-ARIA grid.
//
// Keys (https://www.w3.org/WAI/ARIA/apg/patterns/grid/): arrows move between cells, Home/End to the
// row's first/last cell (with Ctrl: the grid's), PageUp/PageDown ten people up/down. In a rating cell 1–4
// sets the level, 0 or "v" sets "ved ikke", Delete/Backspace withdraws the answer, Enter/Space/F2 (or a
// click) opens a chooser with the level descriptors. After a choice the focus moves on (to the next
// competence, the next person, or stays: the leader's choice, remembered in this browser), so rating one
// cell takes one key or one click.
//
// Saving follows decision 0008: every change is saved at once (one request per person at a time, carrying
// the latest value of each changed cell, so a later save never loses to an earlier one), a failed save is
// retried with back-off and the values stay on the page, a refusal (409/422) is shown and not retried, and
// leaving the page with an unsaved change asks first. Loaded as a file: the CSP allows no inline script.
(function () {
  "use strict";

  var table = document.querySelector("table[data-rating-grid]");
  var app = document.getElementById("lg-app");
  var textsElement = document.getElementById("lg-texts");
  if (!table || !app || !textsElement) return;

  var texts = textsElement.dataset;
  var readonly = table.getAttribute("data-readonly") === "true";
  var levelCount = parseInt(table.getAttribute("data-level-count"), 10) || 4;
  var page = table.getAttribute("data-page") || "1";
  var RETRY_DELAYS = [1000, 2000, 5000, 10000, 20000, 30000];
  var PAGE_ROWS = 10;
  var ADVANCE_KEY = "fagdigital.grid.advance";

  var statusRegion = document.getElementById("lg-save-status");
  var announceRegion = document.getElementById("lg-announce");
  var advanceSelect = document.getElementById("lg-advance");
  var panel = document.getElementById("lg-panel");
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";

  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var matrix = rows.map(function (row) { return Array.prototype.slice.call(row.cells); });
  var states = new Map(); // row → {dirty, inflight, attempt, timer, submitAfter}
  var active = null;
  var lastSaved = "";
  var submitAllWaiting = null;

  // --- Set-up -------------------------------------------------------------------------------------

  app.classList.add("is-enhanced");
  table.setAttribute("role", "grid");
  if (readonly) table.setAttribute("aria-readonly", "true");
  matrix.forEach(function (cells, r) {
    states.set(rows[r], {dirty: new Map(), inflight: null, attempt: 0, timer: null, submitAfter: false});
    cells.forEach(function (cell, c) {
      cell.setAttribute("data-r", String(r));
      cell.setAttribute("data-c", String(c));
      target(cell).setAttribute("tabindex", "-1");
      if (isRating(cell) && !readonly) {
        cell.setAttribute("aria-haspopup", "listbox");
        cell.setAttribute("aria-expanded", "false");
      }
    });
  });

  if (advanceSelect) {
    try {
      var remembered = window.localStorage.getItem(ADVANCE_KEY);
      if (remembered) advanceSelect.value = remembered;
    } catch (error) { /* storage may be off: the default stays */ }
    advanceSelect.addEventListener("change", function () {
      try { window.localStorage.setItem(ADVANCE_KEY, advanceSelect.value); } catch (error) { /* ignore */ }
    });
  }

  function isRating(cell) {
    return cell.classList.contains("lg-cell") && !cell.hasAttribute("data-na");
  }

  function isCompetenceCell(cell) {
    return cell.classList.contains("lg-cell");
  }

  // The element that takes focus for a cell: its link or submit button, else the cell itself (APG).
  function target(cell) {
    var widget = cell.querySelector("a[href], button.lg-submit:not([disabled])");
    return widget || cell;
  }

  function cellAt(r, c) {
    return matrix[r] && matrix[r][c] ? matrix[r][c] : null;
  }

  function pos(cell) {
    return {r: parseInt(cell.getAttribute("data-r"), 10), c: parseInt(cell.getAttribute("data-c"), 10)};
  }

  function activate(cell, focus) {
    if (!cell) return;
    if (active && active !== cell) target(active).setAttribute("tabindex", "-1");
    active = cell;
    var element = target(cell);
    element.setAttribute("tabindex", "0");
    if (focus) {
      element.focus({preventScroll: true});
      cell.scrollIntoView({block: "nearest", inline: "nearest"});
    }
    if (isCompetenceCell(cell)) showPanel(cell);
  }

  var first = matrix.length ? (matrix[0].find(isRating) || matrix[0][0]) : null;
  activate(first, false);

  // --- The descriptor panel ------------------------------------------------------------------------

  function competenceOf(cell) {
    return cell.getAttribute("data-competence") || table.tHead.rows[0].cells[pos(cell).c].getAttribute("data-competence");
  }

  function showPanel(cell) {
    if (!panel) return;
    var competence = competenceOf(cell);
    var value = cell.getAttribute("data-value") || "";
    panel.querySelectorAll(".lg-descriptor").forEach(function (block) {
      var current = block.getAttribute("data-competence") === competence;
      block.hidden = !current;
      if (!current) return;
      block.querySelectorAll("li[data-level]").forEach(function (item) {
        var chosen = value !== "" && item.getAttribute("data-level") === value;
        var mark = item.querySelector(".lg-level-chosen");
        if (chosen) {
          item.setAttribute("aria-current", "true");
          if (!mark) {
            mark = document.createElement("span");
            mark.className = "lg-level-chosen";
            mark.textContent = " (" + texts.chosen + ")";
            item.querySelector(".lg-level-label").appendChild(mark);
          }
        } else {
          item.removeAttribute("aria-current");
          if (mark) mark.remove();
        }
      });
    });
  }

  table.addEventListener("mouseover", function (event) {
    var cell = event.target.closest("td.lg-cell");
    if (cell) showPanel(cell);
  });
  table.addEventListener("mouseleave", function () {
    if (active && isCompetenceCell(active)) showPanel(active);
  });

  // --- Moving ----------------------------------------------------------------------------------------

  function move(r, c) {
    var lastRow = matrix.length - 1;
    r = Math.max(0, Math.min(r, lastRow));
    c = Math.max(0, Math.min(c, matrix[r].length - 1));
    activate(cellAt(r, c), true);
  }

  // The next cell to rate after `cell`, in the direction the leader chose; null at the end.
  function nextRating(cell, direction) {
    var p = pos(cell);
    var r, c;
    if (direction === "down") {
      for (c = p.c; c < matrix[0].length; c++) {
        for (r = c === p.c ? p.r + 1 : 0; r < matrix.length; r++) {
          if (isRating(matrix[r][c])) return matrix[r][c];
        }
      }
      return null;
    }
    for (r = p.r; r < matrix.length; r++) {
      for (c = r === p.r ? p.c + 1 : 0; c < matrix[r].length; c++) {
        if (isRating(matrix[r][c])) return matrix[r][c];
      }
    }
    return null;
  }

  function advanceFrom(cell) {
    var direction = advanceSelect ? advanceSelect.value : "right";
    if (direction === "stay") return cell;
    var next = nextRating(cell, direction);
    if (next) activate(next, true);
    return next || cell;
  }

  table.addEventListener("focusin", function (event) {
    var cell = event.target.closest("td, th");
    if (cell && cell.hasAttribute("data-r") && cell !== active) activate(cell, false);
  });

  table.addEventListener("keydown", function (event) {
    var cell = event.target.closest("td, th");
    if (!cell || !cell.hasAttribute("data-r")) return;
    var p = pos(cell);
    var lastRow = matrix.length - 1;
    var handled = true;
    switch (event.key) {
      case "ArrowRight": move(p.r, p.c + 1); break;
      case "ArrowLeft": move(p.r, p.c - 1); break;
      case "ArrowDown": move(p.r + 1, p.c); break;
      case "ArrowUp": move(p.r - 1, p.c); break;
      case "Home": if (event.ctrlKey) { move(0, 0); } else { move(p.r, 0); } break;
      case "End":
        if (event.ctrlKey) { move(lastRow, matrix[lastRow].length - 1); } else { move(p.r, matrix[p.r].length - 1); }
        break;
      case "PageDown": move(p.r + PAGE_ROWS, p.c); break;
      case "PageUp": move(p.r - PAGE_ROWS, p.c); break;
      default: handled = false;
    }
    if (handled) {
      event.preventDefault();
      return;
    }
    if (!isCompetenceCell(cell) || event.ctrlKey || event.altKey || event.metaKey) return;
    var value = valueForKey(event.key);
    var opens = event.key === "Enter" || event.key === " " || event.key === "F2";
    if (value === null && !opens) return;
    event.preventDefault();
    if (opens) {
      openChooser(cell, false);
    } else {
      choose(cell, value);
    }
  });

  // The value a key sets: "1".."4", "dont_know", "" (withdraw), or null for any other key.
  function valueForKey(key) {
    if (/^[1-9]$/.test(key) && parseInt(key, 10) <= levelCount) return key;
    if (key === "0" || key === "v" || key === "V") return "dont_know";
    if (key === "Delete" || key === "Backspace") return "";
    return null;
  }

  // --- Setting a value -----------------------------------------------------------------------------

  function label(value) {
    if (value === "dont_know") return texts.dontKnow;
    if (value === "") return texts.notRated;
    return texts["level-" + value] || value;
  }

  function render(cell) {
    var value = cell.getAttribute("data-value") || "";
    var holder = cell.querySelector(".lg-value");
    holder.textContent = "";
    if (value === "dont_know") {
      holder.appendChild(span("lg-dont-know", texts.dontKnow));
    } else if (value) {
      holder.appendChild(span("lg-digit", value));
      holder.appendChild(span("lg-level-name", (texts["level-" + value] || "").replace(/^\d+\s*/, "")));
    } else {
      holder.appendChild(span("sr-only", texts.notRated));
    }
    var select = cell.querySelector("select");
    if (select) select.value = value;
    if (cell === active) showPanel(cell);
  }

  function span(className, text) {
    var element = document.createElement("span");
    element.className = className;
    element.textContent = text;
    return element;
  }

  function announce(text) {
    if (!announceRegion) return;
    announceRegion.textContent = "";
    window.setTimeout(function () { announceRegion.textContent = text; }, 50);
  }

  // Set a cell (a key or the chooser); returns the cell that has the focus afterwards.
  function choose(cell, value) {
    if (readonly) {
      announce(texts.readonly);
      return cell;
    }
    if (!isRating(cell)) {
      announce(texts.notApplicable);
      return cell;
    }
    var code = table.tHead.rows[0].cells[pos(cell).c].querySelector(".competence-code").textContent;
    if ((cell.getAttribute("data-value") || "") !== value) {
      cell.setAttribute("data-value", value);
      render(cell);
      queue(cell.parentElement, cell.getAttribute("data-competence"), value);
    }
    announce(code + ": " + label(value));
    return value === "" ? cell : advanceFrom(cell);
  }

  // --- Saving ----------------------------------------------------------------------------------------

  function cellFor(row, competence) {
    return row.querySelector("td[data-competence='" + competence + "']");
  }

  function mark(row, competence, state) {
    var cell = cellFor(row, competence);
    if (!cell) return;
    cell.classList.remove("is-saving", "is-failed");
    if (state) cell.classList.add("is-" + state);
  }

  function queue(row, competence, value) {
    var state = states.get(row);
    state.dirty.set(competence, value);
    mark(row, competence, "saving");
    pump(row);
  }

  function pump(row) {
    var state = states.get(row);
    if (state.inflight || state.timer || state.dirty.size === 0) return;
    send(row);
  }

  function post(url, body) {
    return window.fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual", // a lapsed login answers with a redirect: that is a failure, not a save
      headers: {"Accept": "application/json", "X-CSRFToken": csrf},
    }).then(function (response) {
      if (response.type === "opaqueredirect") return {kind: "login"};
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) return {kind: "network"};
      return response.json().then(function (data) {
        if (response.ok) return {kind: "ok", data: data};
        if (response.status === 409 || response.status === 422) return {kind: "refused", data: data};
        return {kind: "network"};
      });
    }, function () {
      return {kind: "network"};
    });
  }

  function send(row) {
    var state = states.get(row);
    var batch = state.dirty;
    state.dirty = new Map();
    state.inflight = batch;
    var body = new URLSearchParams();
    batch.forEach(function (value, competence) { body.append("c" + competence, value); });
    body.append("side", page);
    post(row.getAttribute("data-save-url"), body).then(function (result) {
      state.inflight = null;
      if (result.kind === "ok") {
        saved(row, batch, result.data);
      } else if (result.kind === "refused") {
        refused(row, batch, result.data.message);
      } else {
        failed(row, batch, result.kind === "login");
      }
    });
  }

  function saved(row, batch, data) {
    var state = states.get(row);
    state.attempt = 0;
    batch.forEach(function (value, competence) {
      var cell = cellFor(row, competence);
      if (cell) cell.setAttribute("data-saved", value);
      if (!state.dirty.has(competence)) mark(row, competence, null);
    });
    updateRow(row, data);
    lastSaved = data.message;
    if (state.dirty.size) {
      send(row);
    } else if (state.submitAfter) {
      state.submitAfter = false;
      submitRow(row);
    }
    refreshStatus();
  }

  // Refused (the round closed, or a withdrawal that would lose a comment): the server keeps what it had,
  // and so does the page; the reason is shown and nothing is retried.
  function refused(row, batch, message) {
    var state = states.get(row);
    state.submitAfter = false;
    batch.forEach(function (value, competence) {
      if (state.dirty.has(competence)) return;
      var cell = cellFor(row, competence);
      mark(row, competence, null);
      if (cell) {
        cell.setAttribute("data-value", cell.getAttribute("data-saved") || "");
        render(cell);
      }
    });
    showStatus(message, "error");
    announce(message);
    pump(row);
  }

  function failed(row, batch, loggedOut) {
    var state = states.get(row);
    batch.forEach(function (value, competence) {
      if (!state.dirty.has(competence)) state.dirty.set(competence, value);
      mark(row, competence, "failed");
    });
    var delay = RETRY_DELAYS[Math.min(state.attempt, RETRY_DELAYS.length - 1)];
    state.attempt += 1;
    state.timer = window.setTimeout(function () {
      state.timer = null;
      pump(row);
    }, delay);
    showStatus(
      loggedOut ? texts.loggedOut : texts.retry.replace("%(seconds)s", String(Math.round(delay / 1000))),
      "error"
    );
  }

  function pendingRows() {
    return rows.filter(function (row) {
      var state = states.get(row);
      return state.dirty.size > 0 || state.inflight !== null || state.timer !== null;
    });
  }

  function failing() {
    return rows.some(function (row) { return states.get(row).timer !== null; });
  }

  function showStatus(text, kind) {
    if (!statusRegion) return;
    if (statusRegion.textContent !== text) statusRegion.textContent = text;
    statusRegion.classList.remove("save-status-saved", "save-status-error");
    if (kind) statusRegion.classList.add("save-status-" + kind);
  }

  // The page's status line says "Gemt kl. …" once everything is saved; while saving it keeps what it said
  // (each cell shows its own state), so a screen reader is not told "saving" at every key.
  function refreshStatus() {
    if (!failing() && pendingRows().length === 0) {
      if (lastSaved) showStatus(lastSaved, "saved");
      if (submitAllWaiting) {
        var form = submitAllWaiting;
        submitAllWaiting = null;
        form.submit();
      }
    }
  }

  window.addEventListener("beforeunload", function (event) {
    if (pendingRows().length > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // --- Progress ----------------------------------------------------------------------------------------

  var submittableCount = document.querySelector("[data-count=submittable]");

  function updateRow(row, data) {
    var status = document.getElementById(row.id + "-status");
    if (status && data.status_html) status.innerHTML = data.status_html;
    var wasSubmittable = row.getAttribute("data-submittable") === "true";
    row.setAttribute("data-status", data.status);
    row.setAttribute("data-area-finished", data.area_finished ? "true" : "false");
    row.setAttribute("data-submittable", data.submittable ? "true" : "false");
    if (submittableCount && wasSubmittable !== data.submittable) {
      var count = parseInt(submittableCount.textContent, 10) || 0;
      submittableCount.textContent = String(Math.max(0, count + (data.submittable ? 1 : -1)));
    }
    var finished = rows.filter(function (r) { return r.getAttribute("data-area-finished") === "true"; }).length;
    var submitted = rows.filter(function (r) { return r.getAttribute("data-status") === "submitted"; }).length;
    var finishedCount = document.querySelector("[data-count=area-finished]");
    var submittedCount = document.querySelector("[data-count=submitted]");
    var bar = document.getElementById("lg-progress-bar");
    if (finishedCount) finishedCount.textContent = String(finished);
    if (submittedCount) submittedCount.textContent = String(submitted);
    if (bar) bar.value = finished;
  }

  // --- Submitting ----------------------------------------------------------------------------------------

  function submitRow(row) {
    var state = states.get(row);
    if (state.dirty.size || state.inflight || state.timer) {
      // The last answers go first, so the submission carries them.
      state.submitAfter = true;
      announce(texts.submitWaiting);
      if (state.timer) {
        window.clearTimeout(state.timer);
        state.timer = null;
      }
      pump(row);
      return;
    }
    var form = document.getElementById("f" + row.getAttribute("data-person"));
    post(row.getAttribute("data-submit-url"), new FormData(form)).then(function (result) {
      if (result.kind === "ok") {
        updateRow(row, result.data);
        showStatus(result.data.message, "saved");
      } else if (result.kind === "refused") {
        showStatus(result.data.message, "error");
      } else {
        showStatus(texts.submitFailed, "error");
      }
    });
  }

  app.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("lg-row-form")) {
      event.preventDefault();
      submitRow(form.closest("tr"));
    }
  });

  var submitAll = document.querySelector("form[data-lg-submit-all]");
  if (submitAll) {
    submitAll.addEventListener("submit", function (event) {
      if (pendingRows().length === 0) return;
      // Every answer is saved before the ratings are submitted.
      event.preventDefault();
      submitAllWaiting = submitAll;
      announce(texts.submitWaiting);
      rows.forEach(function (row) {
        var state = states.get(row);
        if (state.timer) {
          window.clearTimeout(state.timer);
          state.timer = null;
        }
        pump(row);
      });
    });
  }

  // --- The chooser ---------------------------------------------------------------------------------------

  var chooser = document.createElement("div");
  chooser.className = "lg-chooser";
  chooser.id = "lg-chooser";
  chooser.setAttribute("role", "listbox");
  chooser.hidden = true;
  app.appendChild(chooser);
  var chooserCell = null;
  var chooserSticky = false;

  function openChooser(cell, byPointer) {
    if (readonly) {
      announce(texts.readonly);
      return;
    }
    if (!isRating(cell)) {
      announce(texts.notApplicable);
      return;
    }
    closeChooser(false);
    chooserCell = cell;
    chooserSticky = byPointer;
    var competence = cell.getAttribute("data-competence");
    var value = cell.getAttribute("data-value") || "";
    var block = document.getElementById("d" + competence);
    var code = block.querySelector(".competence-code").textContent;
    var name = cell.parentElement.getAttribute("data-name");
    chooser.setAttribute(
      "aria-label", texts.chooser.replace("%(competence)s", code).replace("%(name)s", name)
    );
    chooser.textContent = "";
    var options = [];
    block.querySelectorAll("li[data-level]").forEach(function (item) {
      options.push({
        value: item.getAttribute("data-level"),
        label: item.querySelector(".lg-level-label").firstChild.textContent.trim(),
        text: item.querySelector(".lg-level-text").textContent,
      });
    });
    if (value !== "") options.push({value: "", label: texts.clear, text: ""});
    options.forEach(function (option, index) {
      var element = document.createElement("div");
      element.className = "lg-option";
      element.id = "lg-option-" + index;
      element.setAttribute("role", "option");
      element.setAttribute("tabindex", "-1");
      element.setAttribute("data-value", option.value);
      element.setAttribute("aria-selected", option.value === value && value !== "" ? "true" : "false");
      var strong = document.createElement("strong");
      strong.textContent = option.label;
      element.appendChild(strong);
      if (option.text) element.appendChild(span("lg-option-text", option.text));
      chooser.appendChild(element);
    });
    place(cell);
    chooser.hidden = false;
    cell.setAttribute("aria-expanded", "true");
    var selected = chooser.querySelector("[aria-selected=true]") || chooser.firstChild;
    selected.focus();
    selected.scrollIntoView({block: "nearest"});
  }

  function place(cell) {
    if (window.innerWidth < 768) {
      chooser.classList.add("is-sheet");
      chooser.style.top = "";
      chooser.style.left = "";
      return;
    }
    chooser.classList.remove("is-sheet");
    var box = app.getBoundingClientRect();
    var rect = cell.getBoundingClientRect();
    var width = Math.min(360, box.width);
    var left = Math.max(0, Math.min(rect.left - box.left, box.width - width));
    chooser.style.left = left + "px";
    chooser.style.top = (rect.bottom - box.top + 4) + "px";
  }

  function closeChooser(focusCell) {
    if (chooser.hidden) return;
    chooser.hidden = true;
    var cell = chooserCell;
    chooserCell = null;
    if (cell) {
      cell.setAttribute("aria-expanded", "false");
      if (focusCell) activate(cell, true);
    }
  }

  function pick(option) {
    var cell = chooserCell;
    var value = option.getAttribute("data-value");
    var sticky = chooserSticky;
    closeChooser(false);
    var next = choose(cell, value);
    if (sticky && next !== cell && value !== "") {
      openChooser(next, true);
    } else {
      activate(next, true);
    }
  }

  chooser.addEventListener("keydown", function (event) {
    var options = Array.prototype.slice.call(chooser.children);
    var index = options.indexOf(document.activeElement);
    var key = event.key;
    if (key === "ArrowDown" || key === "ArrowUp" || key === "Home" || key === "End") {
      var next = key === "Home" ? 0 : key === "End" ? options.length - 1
        : Math.max(0, Math.min(options.length - 1, index + (key === "ArrowDown" ? 1 : -1)));
      options[next].focus();
    } else if (key === "Enter" || key === " ") {
      if (index >= 0) pick(options[index]);
    } else if (key === "Escape" || key === "Tab") {
      closeChooser(true);
    } else {
      var value = valueForKey(key);
      if (value === null) return;
      var option = options.find(function (o) { return o.getAttribute("data-value") === value; });
      if (option) pick(option);
    }
    event.preventDefault();
  });

  chooser.addEventListener("click", function (event) {
    var option = event.target.closest("[role=option]");
    if (option) pick(option);
  });

  table.addEventListener("click", function (event) {
    var cell = event.target.closest("td.lg-cell");
    if (!cell || readonly) return;
    activate(cell, false);
    openChooser(cell, true);
  });

  document.addEventListener("mousedown", function (event) {
    if (chooser.hidden) return;
    if (chooser.contains(event.target) || event.target.closest("td.lg-cell")) return;
    closeChooser(false);
  });
})();
