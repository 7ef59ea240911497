// Facet merchant console: plain DOM, no framework, no build step. Every text from the server is
// inserted with textContent, never as HTML.
'use strict';

const $ = (id) => document.getElementById(id);
let lastQuery = null;   // re-run when a filter changes
let requestSeq = 0;     // only the newest response may fill the grid

function filterParams() {
  const p = new URLSearchParams();
  for (const [name, id] of [['category', 'f-category'], ['material', 'f-material'], ['gemstone', 'f-gemstone'],
                            ['min_price', 'f-min'], ['max_price', 'f-max'], ['k', 'f-k']]) {
    const v = $(id).value.trim();
    if (v !== '') p.set(name, v);
  }
  if ($('f-stock').checked) p.set('in_stock', 'true');
  return p;
}

function label(value) {
  return value ? String(value).replace(/_/g, ' ') : '';
}

function price(item) {
  const amount = Number(item.price).toLocaleString(undefined, { maximumFractionDigits: 2 });
  return (item.currency === 'CNY' || !item.currency ? '¥' : item.currency + ' ') + amount;
}

function showMessage(text) {
  const m = $('message');
  m.textContent = text || '';
  m.hidden = !text;
}

function card(item) {
  const el = document.createElement('article');
  el.className = 'card' + (item.in_stock === false ? ' out' : '');
  el.dataset.id = item.id;
  const img = document.createElement('img');
  img.loading = 'lazy';
  img.alt = item.title || item.id;
  if (item.image_url) img.src = item.image_url;
  el.append(img);
  const body = document.createElement('div');
  body.className = 'body';
  const rank = document.createElement('div');
  rank.className = 'rank';
  rank.textContent = '#' + item.rank + ' · ' + item.id + ' · score ' + Number(item.score).toFixed(3);
  const title = document.createElement('div');
  title.className = 'title';
  title.textContent = item.title || item.id;
  const p = document.createElement('div');
  p.className = 'price';
  p.textContent = item.price != null ? price(item) : '';
  const meta = document.createElement('div');
  meta.className = 'meta material';
  meta.textContent = [label(item.material), label(item.gemstone), label(item.category)].filter(Boolean).join(' · ');
  body.append(rank, title, p, meta);
  if (item.in_stock === false) {
    const out = document.createElement('div');
    out.className = 'stock';
    out.textContent = 'out of stock';
    body.append(out);
  }
  if (item.reasons && item.reasons.length) {
    const ul = document.createElement('ul');
    ul.className = 'reasons';
    for (const r of item.reasons) {
      const li = document.createElement('li');
      li.textContent = r.text;
      ul.append(li);
    }
    body.append(ul);
  }
  const more = document.createElement('button');
  more.type = 'button';
  more.textContent = 'More like this';
  more.addEventListener('click', () => run({ kind: 'item', item: item.id, title: item.title }));
  body.append(more);
  el.append(body);
  return el;
}

// A server started with --tokens answers 401 without a bearer token. The token is asked for once
// and kept in sessionStorage: it lives only as long as this tab, never in localStorage or a cookie
// (a cookie would be sent by other sites' pages too).
const TOKEN_KEY = 'facet-token';

function withToken(options) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return options;
  const o = Object.assign({}, options || {});
  o.headers = Object.assign({}, o.headers || {}, { Authorization: 'Bearer ' + token });
  return o;
}

async function fetchJson(url, options) {
  let res = await fetch(url, withToken(options));
  if (res.status === 401) {
    const token = window.prompt('This Facet server needs an access token (read or write):');
    if (token && token.trim()) {
      sessionStorage.setItem(TOKEN_KEY, token.trim());
      res = await fetch(url, withToken(options));
    }
  }
  let data = null;
  try { data = await res.json(); } catch (e) { /* non-JSON error body */ }
  if (!res.ok) throw new Error((data && data.error) || ('HTTP ' + res.status));
  return data;
}

async function run(query) {
  lastQuery = query;
  const seq = ++requestSeq;
  const params = filterParams();
  let url, options, title;
  switch (query.kind) {
    case 'photo': {
      const form = new FormData();
      form.append('photo', query.file, query.file.name || 'photo.jpg');
      url = '/api/similar?' + params;
      options = { method: 'POST', body: form };
      title = 'Listings that look like ' + (query.file.name || 'your photo');
      break;
    }
    case 'item':
      params.set('item', query.item);
      url = '/api/similar?' + params;
      title = 'Listings that look like ' + query.item + (query.title ? ' (' + query.title + ')' : '');
      break;
    case 'user':
      params.set('user', query.user);
      url = '/api/recommend?' + params;
      title = 'Recommended for ' + query.user;
      break;
    case 'search':
      params.set('q', query.q);
      url = '/api/search?' + params;
      title = 'Search: ' + query.q;
      break;
  }
  $('results-title').textContent = title + ' …';
  $('results').setAttribute('aria-busy', 'true');
  try {
    const data = await fetchJson(url, options);
    if (seq !== requestSeq) return;
    showMessage(data.items.length ? '' : 'No listing matches these filters.');
    $('results').replaceChildren(...data.items.map(card));
    $('results-title').textContent = title + ' (' + data.items.length + ')';
  } catch (e) {
    if (seq !== requestSeq) return;
    $('results').replaceChildren();
    $('results-title').textContent = title;
    showMessage(e.message);
  } finally {
    if (seq === requestSeq) $('results').setAttribute('aria-busy', 'false');
  }
}

function choosePhoto(file) {
  if (!file) return;
  const preview = $('photo-preview');
  if (preview.src) URL.revokeObjectURL(preview.src);
  preview.src = URL.createObjectURL(file);
  preview.hidden = false;
  $('dropzone-text').textContent = file.name + ' — drop or choose another';
  run({ kind: 'photo', file });
}

function fillSelect(id, values) {
  const select = $(id);
  for (const v of values) {
    const option = document.createElement('option');
    option.value = v;
    option.textContent = label(v);
    select.append(option);
  }
}

async function waitUntilReady() {
  const status = $('status');
  for (;;) {
    let h = null;
    try {
      h = await (await fetch('/api/health')).json();
    } catch (e) {
      status.textContent = 'server unreachable, retrying…';
    }
    if (h && h.status === 'ok') {
      status.textContent = 'ready · ' + h.listings + ' listings' + (h.model ? '' : ' · no trained model');
      status.className = 'status ok';
      return true;
    }
    if (h && h.status === 'failed') {
      status.textContent = 'engine failed to start: ' + h.error;
      status.className = 'status bad';
      return false;
    }
    if (h) status.textContent = 'engine starting: ' + h.phase;
    await new Promise((r) => setTimeout(r, 1500));
  }
}

function wire() {
  const drop = $('dropzone');
  $('photo-input').addEventListener('change', (e) => choosePhoto(e.target.files[0]));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    choosePhoto(e.dataTransfer.files[0]);
  });
  $('user-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const user = $('user-input').value.trim();
    if (user) run({ kind: 'user', user });
  });
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = $('search-input').value.trim();
    if (q) run({ kind: 'search', q });
  });
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  $('filters').addEventListener('change', () => { if (lastQuery) run(lastQuery); });
}

async function main() {
  wire();
  if (!(await waitUntilReady())) return;
  try {
    const f = await fetchJson('/api/filters');
    fillSelect('f-category', f.category);
    fillSelect('f-material', f.material);
    fillSelect('f-gemstone', f.gemstone);
    $('f-min').placeholder = Math.floor(f.min_price);
    $('f-max').placeholder = Math.ceil(f.max_price);
  } catch (e) {
    showMessage('Filters unavailable: ' + e.message);
  }
  document.body.dataset.ready = 'true';
}

main();
