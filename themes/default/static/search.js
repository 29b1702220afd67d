/* Search for icpgen sites: progressive enhancement of the search page.
   Without JavaScript the page offers the browse pages instead.  The
   index (search-index.json) is fetched once; every word typed must
   match a page's title, summary, committee or kind.  The number of
   results is announced through a status region. */
(function () {
  'use strict';
  var form = document.getElementById('icp-search-form');
  if (!form || !window.fetch) { return; }
  var input = document.getElementById('icp-search-q');
  var status = document.getElementById('icp-search-status');
  var list = document.getElementById('icp-search-results');
  var nojs = document.getElementById('icp-search-nojs');
  var kinds = { meeting: 'Meeting', paper: 'Paper', minutes: 'Minutes',
    news: 'News', page: 'Page', committee: 'Committee', person: 'Person',
    organisation: 'Organisation', question: 'Public question',
    priority: 'Strategy priority', measure: 'Strategy measure' };
  var pages = null, timer = null;

  function words(s) {
    return s.toLowerCase().split(/[^a-z0-9\u00c0-\u024f]+/).filter(Boolean);
  }
  function show(q) {
    var w = words(q), found = [], i, p, hay, ok, j, li, a, meta;
    list.textContent = '';
    if (!pages) { return; }
    if (w.length === 0) { status.textContent = ''; return; }
    for (i = 0; i < pages.length; i++) {
      p = pages[i];
      hay = (p.t + ' ' + (p.s || '') + ' ' + (p.c || '') + ' ' +
        (kinds[p.k] || p.k)).toLowerCase();
      ok = true;
      for (j = 0; j < w.length && ok; j++) { ok = hay.indexOf(w[j]) >= 0; }
      if (ok) {
        p.score = words(p.t).filter(function (x) {
          return w.indexOf(x) >= 0; }).length;
        found.push(p);
      }
    }
    found.sort(function (x, y) {
      return (y.score - x.score) || ((y.d || '') < (x.d || '') ? -1 :
        (y.d || '') > (x.d || '') ? 1 : 0);
    });
    for (i = 0; i < found.length && i < 50; i++) {
      p = found[i];
      li = document.createElement('li');
      li.className = 'icp-search__result';
      a = document.createElement('a');
      a.href = p.u;
      a.textContent = p.t;
      li.appendChild(a);
      meta = document.createElement('p');
      meta.className = 'icp-search__meta';
      meta.textContent = (kinds[p.k] || p.k) + (p.d ? ', ' + p.d : '') +
        (p.c ? ', ' + p.c : '') + (p.s ? '. ' + p.s : '');
      li.appendChild(meta);
      list.appendChild(li);
    }
    status.textContent = found.length === 0 ? 'No results for \u2018' + q +
      '\u2019.' : (found.length === 1 ? '1 result' : found.length +
      ' results') + ' for \u2018' + q + '\u2019' +
      (found.length > 50 ? ', showing the first 50.' : '.');
  }
  fetch(form.getAttribute('data-index')).then(function (r) {
    return r.json();
  }).then(function (idx) {
    pages = idx.pages;
    if (nojs) { nojs.hidden = true; }
    form.hidden = false;
    var q = new URLSearchParams(window.location.search).get('q') || '';
    input.value = q;
    show(q);
  }).catch(function () {
    status.textContent = 'Search is not available just now. ' +
      'Please browse the pages listed below.';
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    show(input.value);
    history.replaceState(null, '', '?q=' + encodeURIComponent(input.value));
  });
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(input.value); }, 250);
  });
}());
