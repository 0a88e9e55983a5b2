/**
 * The fleet page's one script (src/output/fleet-page.ts): it draws the table of phones from the
 * page's data (src/output/fleet-page-data.ts), a page of rows at a time, and sorts and filters
 * the data, not the DOM — so 20,000 phones cost what 100 do. A phone's requests and drift are
 * drawn when its row is opened. Every text goes in as a text node (textContent), never as
 * markup: nothing from a log can become an element.
 *
 * The data comes after the code, as the argument of the function: `(function (D) {…})(data);`.
 */
export const SCRIPT_CODE = `(function (D) {
  'use strict';
  var S = D.s, P = D.p;
  var table = document.getElementById('phones');
  var count = document.getElementById('shown');
  var pager = document.getElementById('pager');
  var where = document.getElementById('where');
  var size = document.getElementById('size');
  var search = document.getElementById('q');
  var outcome = document.getElementById('outcome');
  var late = document.getElementById('late');
  var drift = document.getElementById('drifted');
  var LABELS = D.c;
  var OUTCOME_TEXT = { A: 'A — success', B: 'B — not found or corrupt', C: 'C — other failure', none: '— retrying at once' };
  var order = [];
  for (var i = 0; i < P.length; i++) order.push(i);
  var view = order;
  var first = 0;
  var texts = null;
  var keys = [];

  function s(i) { return i < 0 ? null : S[i]; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function iso(t) { return new Date(Math.round(t * 1000)).toISOString(); }
  function shortTime(t) { return t === null ? '' : iso(t).replace('T', ' ').replace(/\\.\\d+Z$/, 'Z'); }
  function minuteTime(t) { return iso(t).slice(0, 16).replace('T', ' '); }
  function time(t) {
    var e = el('time');
    if (t !== null) { e.dateTime = iso(t); e.textContent = minuteTime(t); }
    return e;
  }
  function badge(o) {
    var e = el('span', 'badge o-' + o, o === 'none' ? '–' : o);
    e.title = OUTCOME_TEXT[o];
    return e;
  }
  function cell(row, column, content, cls) {
    var td = el('td', cls);
    td.setAttribute('data-label', LABELS[column]);
    var span = el('span');
    for (var k = 0; k < content.length; k++)
      if (content[k] !== null) span.appendChild(typeof content[k] === 'string' ? document.createTextNode(content[k]) : content[k]);
    td.appendChild(span);
    row.appendChild(td);
  }

  // A phone: [label, small, model, product, firmware, lastSeen, path, outcome, status, due,
  //   lateText, driftCount, driftText, requests, userAgent, meta, failures, history, drift]
  function phoneBody(i) {
    var p = P[i];
    var body = el('tbody');
    var tr = el('tr', 'phone');
    var id = 'd' + i;
    var toggle = el('button', 'toggle mono', s(p[0]));
    toggle.type = 'button';
    toggle.setAttribute('aria-expanded', 'false');
    toggle.setAttribute('aria-controls', id);
    cell(tr, 0, [toggle, el('br'), el('small', null, s(p[1]))]);
    cell(tr, 1, [s(p[2]) || '?']);
    cell(tr, 2, [s(p[4])]);
    cell(tr, 3, [time(p[5])]);
    var path = s(p[6]);
    var pathSpan = el('span', 'mono', path === null ? '' : path.length > 200 ? path.slice(0, 199) + '…' : path);
    if (path !== null) pathSpan.title = path;
    cell(tr, 4, [pathSpan], 'path');
    cell(tr, 5, [badge(s(p[7])), ' ', el('small', null, p[8] === null ? '-' : String(p[8]))]);
    var due = [];
    if (p[9] !== null) {
      due.push(time(p[9]));
      if (p[10] >= 0) { due.push(' '); due.push(el('span', 'late', s(p[10]))); }
    }
    cell(tr, 6, due, 'due');
    cell(tr, 7, [p[11] > 0 ? el('span', 'drift', s(p[12])) : s(p[12])], 'num');
    cell(tr, 8, [String(p[13])], 'num');
    body.appendChild(tr);
    var details = el('tr', 'details');
    details.id = id;
    details.hidden = true;
    var td = el('td');
    td.colSpan = LABELS.length;
    details.appendChild(td);
    body.appendChild(details);
    toggle.addEventListener('click', function () {
      var open = toggle.getAttribute('aria-expanded') === 'true';
      if (!open && !td.firstChild) fill(td, p);
      toggle.setAttribute('aria-expanded', open ? 'false' : 'true');
      details.hidden = open;
    });
    return body;
  }

  function smallTable(head, rows) {
    var wrap = el('div', 'wrap');
    var t = el('table');
    var tr = el('tr');
    head.forEach(function (h) {
      var th = el('th', h === 'Status' ? 'num' : null, h);
      th.scope = 'col';
      tr.appendChild(th);
    });
    t.appendChild(el('thead')).appendChild(tr);
    var tb = el('tbody');
    rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (c) { row.appendChild(c); });
      tb.appendChild(row);
    });
    t.appendChild(tb);
    wrap.appendChild(t);
    return wrap;
  }
  function td(text, cls) { return el('td', cls, text); }

  // A phone's requests (history: 7 values a request), its drift and what the log says of it.
  function fill(box, p) {
    box.appendChild(el('h3', null, 'Latest requests, newest first' + (p[16] > 0 ? ' — ' + p[16] + ' failed in a row' : '')));
    var h = p[17];
    if (h.length === 0) box.appendChild(el('p', null, 'No requests.'));
    else {
      var rows = [];
      for (var k = 0; k < h.length; k += 7) {
        var o = el('td');
        o.appendChild(badge(s(h[k + 4])));
        rows.push([td(shortTime(h[k])), td(s(h[k + 1])), td(s(h[k + 2]), 'mono'),
          td(h[k + 3] === null ? '-' : String(h[k + 3]), 'num'), o, td(s(h[k + 5])), td(s(h[k + 6]))]);
      }
      box.appendChild(smallTable(['Time', 'Method', 'Path', 'Status', 'Outcome', 'Address', 'Firmware'], rows));
    }
    var d = p[18];
    if (D.d && d) {
      box.appendChild(el('h3', null, s(d[0])));
      if (d[1] === 'error') box.appendChild(el('p', 'late', 'Report unreadable: ' + s(d[2])));
      else if (d[1] === 'unknown') box.appendChild(el('p', null, 'Not in the inventory: not compared.'));
      else if (d[3].length === 0) box.appendChild(el('p', null, 'In sync with its profile.'));
      else {
        var changes = [];
        for (var c = 0; c < d[3].length; c += 4) {
          var reported = el('td', 'mono');
          if (d[3][c + 3] < 0) reported.appendChild(el('em', null, 'not reported'));
          else reported.textContent = s(d[3][c + 3]);
          changes.push([td(s(d[3][c]), 'mono'), td(s(d[3][c + 1])), td(s(d[3][c + 2]), 'mono'), reported]);
        }
        box.appendChild(smallTable(['Parameter', 'Change', 'Expected', 'Reported'], changes));
      }
    }
    var meta = el('p', 'meta', s(p[15]) + ' User-Agent: ');
    meta.appendChild(el('span', 'mono', s(p[14])));
    box.appendChild(meta);
  }

  function render() {
    var per = Number(size.value);
    if (first >= view.length) first = Math.max(0, Math.floor((view.length - 1) / per) * per);
    var end = Math.min(view.length, first + per);
    var fragment = document.createDocumentFragment();
    for (var k = first; k < end; k++) fragment.appendChild(phoneBody(view[k]));
    while (table.tBodies.length) table.removeChild(table.tBodies[0]);
    table.appendChild(fragment);
    var pages = view.length > per;
    count.textContent = pages
      ? view.length + ' of ' + P.length + ' phones match; ' + (first + 1) + '–' + end + ' shown'
      : view.length + ' of ' + P.length + ' phones shown';
    pager.hidden = !pages;
    where.textContent = 'Page ' + (Math.floor(first / per) + 1) + ' of ' + Math.ceil(view.length / per);
  }

  // Sorting: the whole order, by one column's keys (computed once per column); stable, so
  // equal keys keep the order of the sort before.
  function key(column) {
    if (keys[column]) return keys[column];
    var k = new Array(P.length);
    for (var n = 0; n < P.length; n++) {
      var p = P[n], v;
      switch (column) {
        case 3: v = p[5] === null ? -Infinity : p[5]; break;
        case 6: v = p[9] === null ? -Infinity : p[9]; break;
        case 7: v = p[11]; break;
        case 8: v = p[13]; break;
        default: v = (s(p[[0, 2, 4, 0, 6, 7][column]]) || '').toLowerCase();
      }
      k[n] = v;
    }
    return (keys[column] = k);
  }
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  heads.forEach(function (th, column) {
    var b = th.querySelector('button');
    b.addEventListener('click', function () {
      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      heads.forEach(function (o) { o.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      var k = key(column);
      order.sort(function (x, y) {
        var a = k[x], c = k[y];
        return (a < c ? -1 : a > c ? 1 : 0) * dir;
      });
      filter(true);
    });
  });

  // Filtering: a pass over the data; the text of a phone (lower case) is built once. The same
  // filters again (a "change" after the "input" it follows) redraw nothing: a click on a row
  // that takes the focus from the filter box must not meet a new row.
  var filtered = null;
  function filter(sorted) {
    var text = search.value.trim().toLowerCase();
    var state = JSON.stringify([text, outcome.value, late.checked, drift.checked]);
    if (sorted !== true && state === filtered) return;
    filtered = state;
    if (text && !texts) {
      texts = new Array(P.length);
      for (var n = 0; n < P.length; n++) {
        var p = P[n];
        texts[n] = [s(p[0]), s(p[1]), s(p[3]), s(p[4]), p[5] === null ? '' : iso(p[5]), s(p[7]),
          p[8] === null ? '' : p[8], p[10] >= 0 ? 'late' : '', s(p[14])].join(' ').toLowerCase();
      }
    }
    var o = outcome.value, onlyLate = late.checked, onlyDrift = drift.checked;
    if (!text && !o && !onlyLate && !onlyDrift) view = order;
    else {
      view = [];
      for (var k = 0; k < order.length; k++) {
        var i = order[k], q = P[i];
        if ((!text || texts[i].indexOf(text) !== -1) && (!o || s(q[7]) === o) &&
          (!onlyLate || q[10] >= 0) && (!onlyDrift || q[11] > 0)) view.push(i);
      }
    }
    first = 0;
    render();
  }
  [search, outcome, late, drift].forEach(function (e) {
    e.addEventListener('input', filter);
    e.addEventListener('change', filter);
  });
  size.addEventListener('change', function () { first = 0; render(); });
  function go(to) {
    var per = Number(size.value);
    first = Math.max(0, Math.min(to, Math.floor((view.length - 1) / per) * per));
    render();
  }
  document.getElementById('first').addEventListener('click', function () { go(0); });
  document.getElementById('prev').addEventListener('click', function () { go(first - Number(size.value)); });
  document.getElementById('next').addEventListener('click', function () { go(first + Number(size.value)); });
  document.getElementById('last').addEventListener('click', function () { go(view.length); });

  document.getElementById('controls').hidden = false;
  document.getElementById('live').hidden = false;
  filter();
})`;
