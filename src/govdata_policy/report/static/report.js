/* govdata-policy report: sortable, filterable violations table. No network, no libraries. */
(function () {
  "use strict";
  var source = document.getElementById("violations-data");
  var table = document.getElementById("violations-table");
  if (!source || !table) { return; }
  var data = JSON.parse(source.textContent);
  var columns = data.columns;          // [{key, label, numeric}]
  var rows = data.rows;                // arrays in column order
  var kindIndex = data.kind_index;     // index of the kind code in a row
  var clauseIndex = data.clause_index;
  var pageSize = data.page_size || 500;
  var body = table.tBodies[0];
  var textInput = document.getElementById("filter-text");
  var kindSelect = document.getElementById("filter-kind");
  var clauseSelect = document.getElementById("filter-clause");
  var shownCount = document.getElementById("shown-count");
  var matchCount = document.getElementById("match-count");
  var moreButton = document.getElementById("show-more");
  var state = { sortCol: -1, sortDir: 1, limit: pageSize, view: rows.slice() };

  function chunks(value) {
    return String(value === null || value === undefined ? "" : value).match(/(\d+|\D+)/g) || [];
  }
  function natural(a, b) {
    var x = chunks(a), y = chunks(b);
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      var p = x[i], q = y[i];
      var pn = /^\d/.test(p), qn = /^\d/.test(q);
      if (pn && qn) {
        var d = parseInt(p, 10) - parseInt(q, 10);
        if (d !== 0) { return d; }
      } else if (p !== q) {
        return p < q ? -1 : 1;
      }
    }
    return x.length - y.length;
  }
  function compare(col, numeric) {
    return function (a, b) {
      var u = a[col], v = b[col];
      var ue = u === null || u === "", ve = v === null || v === "";
      if (ue || ve) { return ue === ve ? 0 : (ue ? 1 : -1); }  // blanks last either way
      return state.sortDir * (numeric ? (u - v) : natural(u, v));
    };
  }
  function matches(row, text, kind, clause) {
    if (kind && row[kindIndex] !== kind) { return false; }
    if (clause && row[clauseIndex] !== clause) { return false; }
    if (!text) { return true; }
    for (var i = 0; i < row.length; i++) {
      if (row[i] !== null && String(row[i]).toLowerCase().indexOf(text) >= 0) { return true; }
    }
    return false;
  }
  function render() {
    var text = textInput.value.trim().toLowerCase();
    var kind = kindSelect.value, clause = clauseSelect.value;
    var view = rows.filter(function (row) { return matches(row, text, kind, clause); });
    if (state.sortCol >= 0) {
      var by = columns[state.sortCol].sort_by;  // a cited clause sorts by its path: 18.2 before 29.3
      view.sort(compare(by === undefined || by === null ? state.sortCol : by, columns[state.sortCol].numeric));
    }
    state.view = view;
    var fragment = document.createDocumentFragment();
    var limit = Math.min(view.length, state.limit);
    for (var r = 0; r < limit; r++) {
      var tr = document.createElement("tr");
      tr.className = "kind-" + view[r][kindIndex];
      for (var c = 0; c < columns.length; c++) {
        if (columns[c].hidden) { continue; }
        var td = document.createElement("td");
        var value = view[r][c];
        td.textContent = value === null ? "" : String(value);
        if (columns[c].numeric) { td.className = "num"; }
        tr.appendChild(td);
      }
      fragment.appendChild(tr);
    }
    while (body.firstChild) { body.removeChild(body.firstChild); }
    body.appendChild(fragment);
    shownCount.textContent = String(limit);
    shownCount.setAttribute("data-value", String(limit));
    matchCount.textContent = String(view.length);
    matchCount.setAttribute("data-value", String(view.length));
    moreButton.hidden = limit >= view.length;
  }
  var headers = table.tHead.rows[0].cells;
  for (var h = 0; h < headers.length; h++) {
    headers[h].addEventListener("click", (function (cell) {
      return function () {
        var col = parseInt(cell.getAttribute("data-col"), 10);
        state.sortDir = state.sortCol === col ? -state.sortDir : 1;
        state.sortCol = col;
        for (var k = 0; k < headers.length; k++) { headers[k].removeAttribute("aria-sort"); }
        cell.setAttribute("aria-sort", state.sortDir > 0 ? "ascending" : "descending");
        render();
      };
    })(headers[h]));
  }
  function reset() { state.limit = pageSize; render(); }
  textInput.addEventListener("input", reset);
  kindSelect.addEventListener("change", reset);
  clauseSelect.addEventListener("change", reset);
  moreButton.addEventListener("click", function () { state.limit += pageSize; render(); });
  document.getElementById("expand-all").addEventListener("click", function () {
    var open = this.getAttribute("data-open") !== "1";
    var cases = document.querySelectorAll("details.case");
    for (var i = 0; i < cases.length; i++) { cases[i].open = open; }
    this.setAttribute("data-open", open ? "1" : "0");
  });
  render();
  document.body.setAttribute("data-ready", "1");
})();
