/* Search for icpgen sites: progressive enhancement of the search page.
   Without JavaScript the page offers the browse pages instead.

   The index is sharded (docs/search.md): search/index.json lists the
   shards, the stop words and each document's kind and committee; a
   shard search/s/kPREFIX.json holds the words and stems that start
   with PREFIX: "w" maps a word of the site to its English stem (made
   at build time by libstemmer, so nothing is stemmed here) and "t"
   maps a stem to its postings (document number deltas and weights).
   A query fetches the manifest, one shard per word, and the fragment
   search/p/N.json of each result it shows.  Every word must match.
   The number of results is announced through a status region. */
(function () {
  'use strict';
  var form = document.getElementById('icp-search-form');
  if (!form || !window.fetch || !window.Promise) { return; }
  var input = document.getElementById('icp-search-q');
  var kindSel = document.getElementById('icp-search-kind');
  var commSel = document.getElementById('icp-search-committee');
  var status = document.getElementById('icp-search-status');
  var list = document.getElementById('icp-search-results');
  var more = document.getElementById('icp-search-more');
  var nojs = document.getElementById('icp-search-nojs');
  var base = form.getAttribute('data-index');
  var labels = { meeting: 'Meeting', paper: 'Paper', minutes: 'Minutes',
    'news post': 'News', news: 'News', page: 'Page', committee: 'Committee',
    person: 'Person', organisation: 'Organisation',
    question: 'Public question', priority: 'Strategy priority',
    measure: 'Strategy measure', action: 'Action', decision: 'Decision' };
  var PAGE = 10;
  var manifest = null, shards = {}, frags = {}, found = [], shown = 0;
  var marks = [], timer = null, seq = 0;

  function get(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(url + ': ' + r.status); }
      return r.json();
    });
  }
  /* The tokens of the build (src/render/search.c): ASCII lowercased;
     word characters are letters, digits and any character from U+00C0
     except general punctuation; words joined by - / or . count whole
     as well as in parts. */
  var W = '[a-z0-9\\u00c0-\\u1fff\\u2080-\\uffff]';
  var TOKEN = new RegExp(W + '+(?:[-/.][a-z0-9]' + W + '*)*', 'g');
  function terms(q) {
    q = q.replace(/[A-Z]+/g, function (m) { return m.toLowerCase(); });
    var out = [], m = q.match(TOKEN) || [], i;
    for (i = 0; i < m.length; i++) {
      if (m[i].length > 40) { continue; }
      if (manifest.stop.indexOf(m[i]) >= 0) { continue; }
      if (m[i].length < 2 && !/[0-9]/.test(m[i])) { continue; }
      out.push(m[i]);
    }
    return out;
  }
  function enc(s) {
    var b = new TextEncoder().encode(s), out = '', i, c;
    for (i = 0; i < b.length; i++) {
      c = b[i];
      out += (c >= 97 && c <= 122) || (c >= 48 && c <= 57) ?
        String.fromCharCode(c) : '_' + (c < 16 ? '0' : '') + c.toString(16);
    }
    return out;
  }
  /* The shard holding a word: the longest listed prefix of it. */
  function shardOf(word) {
    var e = enc(word), best = null, i, s;
    for (i = 0; i < manifest.shards.length; i++) {
      s = manifest.shards[i];
      if (e.lastIndexOf(s, 0) === 0 && (best === null || s.length > best.length)) {
        best = s;
      }
    }
    if (best === null) { return Promise.resolve(null); }
    if (!shards[best]) { shards[best] = get(base + 's/k' + best + '.json'); }
    return shards[best];
  }
  /* A word's stem and postings: {stem, words, docs: {n: weight}}. */
  function lookup(word) {
    return shardOf(word).then(function (sh) {
      if (!sh) { return null; }
      var stem = sh.w[word] || (sh.t[word] ? word : null), k;
      if (!stem) {	/* a form the site does not use: try its stem */
        for (k in sh.t) {
          if (k.length >= 4 && word.lastIndexOf(k, 0) === 0 &&
              (!stem || k.length > stem.length)) { stem = k; }
        }
      }
      if (!stem) { return null; }
      return (stem === word || sh.t[stem] ? Promise.resolve(sh) :
        shardOf(stem)).then(function (sh2) {
        var p = sh2 && sh2.t[stem], docs = {}, d = 0, i, forms = [word, stem];
        if (!p) { return null; }
        for (i = 0; i < p.length; i += 2) { d += p[i]; docs[d] = p[i + 1]; }
        for (k in sh.w) { if (sh.w[k] === stem) { forms.push(k); } }
        return { stem: stem, forms: forms, docs: docs };
      });
    });
  }
  function fragment(n) {
    if (!frags[n]) { frags[n] = get(base + 'p/' + n + '.json'); }
    return frags[n];
  }
  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\\/-]/g, '\\$&'); }

  /* Append text to el with every matched word marked. */
  function marked(el, text) {
    if (!marks.length) { el.appendChild(document.createTextNode(text)); return; }
    var re = new RegExp('(^|[^a-z0-9])(' + marks.map(escapeRe).join('|') +
      ')' + W + '*', 'gi'), last = 0, m, start, mk;
    while ((m = re.exec(text)) !== null) {
      start = m.index + m[1].length;
      el.appendChild(document.createTextNode(text.slice(last, start)));
      mk = document.createElement('mark');
      mk.textContent = text.slice(start, re.lastIndex);
      el.appendChild(mk);
      last = re.lastIndex;
      if (m[0].length === 0) { re.lastIndex++; }
    }
    el.appendChild(document.createTextNode(text.slice(last)));
  }
  /* About 30 words around the first match. */
  function snippet(x) {
    var lower = x.toLowerCase(), at = -1, i, j;
    for (i = 0; i < marks.length; i++) {
      j = lower.search(new RegExp('(^|[^a-z0-9])' + escapeRe(marks[i])));
      if (j >= 0 && (at < 0 || j < at)) { at = j; }
    }
    if (at < 0) { at = 0; }
    var from = Math.max(0, at - 90), to = Math.min(x.length, at + 160);
    while (from > 0 && x.charAt(from - 1) !== ' ') { from--; }
    while (to < x.length && x.charAt(to) !== ' ') { to++; }
    return (from > 0 ? '\u2026' : '') + x.slice(from, to) +
      (to < x.length ? '\u2026' : '');
  }
  function render(n, f) {
    var li = document.createElement('li'), h, a, meta, p, bits = [];
    li.className = 'icp-search__result';
    h = document.createElement('h2');
    h.className = 'icp-search__title';
    a = document.createElement('a');
    a.href = f.u;
    if (f.l) { a.lang = f.l; a.dir = f.r || 'ltr'; }
    marked(a, f.t);
    h.appendChild(a);
    li.appendChild(h);
    meta = document.createElement('p');
    meta.className = 'icp-search__meta';
    bits.push(labels[f.k] || f.k);
    if (f.d) {
      bits.push(new Date(f.d + 'T12:00:00Z').toLocaleDateString('en-GB',
        { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }));
    }
    if (f.c) { bits.push(f.c); }
    meta.textContent = bits.join(' \u00b7 ');
    li.appendChild(meta);
    p = document.createElement('p');
    p.className = 'icp-search__snippet';
    if (f.l) { p.lang = f.l; p.dir = f.r || 'ltr'; }
    marked(p, snippet(f.x || ''));
    li.appendChild(p);
    return li;
  }
  function showMore(mine) {
    var batch = found.slice(shown, shown + PAGE);
    shown += batch.length;
    return Promise.all(batch.map(function (r) {
      return fragment(r.n).then(function (f) { return [r.n, f]; });
    })).then(function (fs) {
      if (mine !== seq) { return; }
      fs.forEach(function (x) { list.appendChild(render(x[0], x[1])); });
      more.hidden = shown >= found.length;
    });
  }
  function search(q) {
    var mine = ++seq, ts = terms(q);
    var k = kindSel ? kindSel.value : '', c = commSel ? commSel.value : '';
    list.textContent = '';
    more.hidden = true;
    found = [];
    shown = 0;
    if (!q.trim()) { status.textContent = ''; return Promise.resolve(); }
    return Promise.all(ts.map(function (t) {
      return lookup(t).then(function (r) {
        /* "A-2025-07" not in the index whole: all of its parts. */
        if (r || !/[-\/.]/.test(t)) { return [r]; }
        return Promise.all(t.split(/[-\/.]/).filter(function (x) {
          return x.length >= 2 || /[0-9]/.test(x); }).map(lookup));
      });
    })).then(function (groups) {
      if (mine !== seq) { return; }
      var rs = [].concat.apply([], groups), score = null, n, i, kc, cc;
      marks = [];
      for (i = 0; i < rs.length; i++) {
        if (!rs[i]) { score = {}; break; }
        marks = marks.concat(rs[i].forms);
        if (score === null) {
          score = {};
          for (n in rs[i].docs) { score[n] = rs[i].docs[n]; }
        } else {
          for (n in score) {
            if (rs[i].docs[n] === undefined) { delete score[n]; } else { score[n] += rs[i].docs[n]; }
          }
        }
      }
      kc = k ? manifest.kinds.indexOf(k) + 1 : 0;
      cc = c ? manifest.committees.indexOf(c) + 1 : 0;
      for (n in (score || {})) {
        n = +n;
        if (kc && manifest.fk[n] !== kc) { continue; }
        if (cc && manifest.fc[n] !== cc) { continue; }
        found.push({ n: n, s: score[n] });
      }
      found.sort(function (x, y) { return (y.s - x.s) || (x.n - y.n); });
      var what = '\u2018' + q + '\u2019' + (k ? ', ' + (labels[k] || k) : '') +
        (c ? ', ' + c : '');
      /* The count is announced once the first results are listed. */
      return showMore(mine).then(function () {
        if (mine !== seq) { return; }
        status.textContent = found.length === 0 ? 'No results for ' + what + '.' :
          (found.length === 1 ? '1 result' : found.length + ' results') + ' for ' + what + '.';
      });
    });
  }
  function fill(sel, values, param) {
    if (!sel) { return; }
    values.forEach(function (v) {
      var o = document.createElement('option');
      o.value = v;
      o.textContent = labels[v] || v;
      sel.appendChild(o);
    });
    sel.value = param || '';
  }
  function go() {
    var url = '?q=' + encodeURIComponent(input.value) +
      (kindSel && kindSel.value ? '&kind=' + encodeURIComponent(kindSel.value) : '') +
      (commSel && commSel.value ? '&committee=' + encodeURIComponent(commSel.value) : '');
    history.replaceState(null, '', url);
    return search(input.value);
  }
  get(base + 'index.json').then(function (m) {
    manifest = m;
    var params = new URLSearchParams(window.location.search);
    fill(kindSel, m.kinds.slice().sort(function (a, b) {
      return (labels[a] || a) < (labels[b] || b) ? -1 : 1; }), params.get('kind'));
    fill(commSel, m.committees, params.get('committee'));
    if (nojs) { nojs.hidden = true; }
    form.hidden = false;
    input.value = params.get('q') || '';
    return search(input.value);
  }).catch(function () {
    status.textContent = 'Search is not available just now. ' +
      'Please browse the pages listed below.';
    if (nojs) { nojs.hidden = false; }
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    go();
  });
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(go, 300);
  });
  [kindSel, commSel].forEach(function (s) { if (s) { s.addEventListener('change', go); } });
  more.addEventListener('click', function () { showMore(seq); });
}());
