// Sortable result tables: each column heading of a table marked data-sortable becomes a button
// that orders the rows by that column (again: the other way round). Cells sort by their
// data-sort key; a column whose keys are all numbers sorts as numbers. Without this script the
// table reads the same, in the order the query gave.
"use strict";
(function () {
  function keyOf(row, index) {
    const cell = row.cells[index];
    if (!cell) return "";
    const key = cell.getAttribute("data-sort");
    return key === null ? cell.textContent.trim().toLowerCase() : key;
  }

  function sortBy(table, index, button) {
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    const keys = rows.map(function (row) { return keyOf(row, index); });
    const numeric = keys.every(function (k) { return k === "" || !isNaN(Number(k)); });
    const heading = button.parentElement;
    const ascending = heading.getAttribute("aria-sort") !== "ascending";
    const order = rows.map(function (row, i) { return { row: row, key: keys[i], i: i }; });
    order.sort(function (a, b) {
      let c;
      if (numeric) c = (a.key === "" ? Infinity : Number(a.key)) - (b.key === "" ? Infinity : Number(b.key));
      else c = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
      if (c === 0 || isNaN(c)) c = a.i - b.i;
      return ascending ? c : -c;
    });
    Array.from(table.tHead.rows[0].cells).forEach(function (th) { th.removeAttribute("aria-sort"); });
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    order.forEach(function (o) { body.appendChild(o.row); });
  }

  function install(table) {
    if (!table.tHead || !table.tBodies.length) return;
    Array.from(table.tHead.rows[0].cells).forEach(function (th, index) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      button.title = "Sort by " + th.textContent;
      button.addEventListener("click", function () { sortBy(table, index, button); });
      th.textContent = "";
      th.appendChild(button);
    });
  }

  function start() {
    document.querySelectorAll("table[data-sortable]").forEach(install);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
