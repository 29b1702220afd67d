/* Sortable action tables: a progressive enhancement.  Each column header
   with data-sort becomes a button; pressing it sorts the rows by that
   column (a cell's data-value if it has one, else its text), and again
   in the other order.  aria-sort on the header says how the table is
   sorted.  Without JavaScript the tables are complete, in the log's
   own order (overdue first, then by due date). */
(function () {
  'use strict';
  var tables = document.querySelectorAll('table[data-sortable]');
  Array.prototype.forEach.call(tables, function (table) {
    var heads = table.querySelectorAll('thead th[data-sort]');
    var body = table.tBodies[0];
    Array.prototype.forEach.call(heads, function (th, col) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'icp-sort';
      b.textContent = th.textContent;
      th.textContent = '';
      th.appendChild(b);
      b.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (r) {
          var c = r.cells[th.cellIndex];
          return (c.getAttribute('data-value') || c.textContent).trim().toLowerCase();
        };
        rows.sort(function (x, y) {
          var p = key(x), q = key(y);
          if (p === q) { return 0; }
          if (!p) { return 1; }	/* empty (no date) last either way */
          if (!q) { return -1; }
          return (p < q ? -1 : 1) * (asc ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      });
      void col;
    });
  });
}());
