// Concord dashboard: polls /admin/status every second. The same page serves
// a single node (its status is one region) and the concord dev launcher
// (its status is {"regions":[...],"converged":bool}). No dependencies.
'use strict';

const HISTORY = 120; // points kept per chart series (seconds)
const COLORS = ['#2e6fdb', '#d9480f', '#2b8a3e', '#ae3ec9', '#e8590c', '#0c8599', '#c2255c', '#5c940d', '#364fc7', '#862e9c'];

const state = {
  prev: null,      // {t, published: {region: n}}
  series: {writes: new Map(), lag: new Map(), pending: new Map()},
};

function $(id) { return document.getElementById(id); }

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}

// normalize turns either status shape into {regions, converged, single}.
function normalize(st) {
  if (Array.isArray(st.regions)) {
    return {regions: st.regions, converged: !!st.converged, single: false};
  }
  return {regions: [st], converged: true, single: true};
}

function tableNames(regions) {
  const names = new Set();
  for (const r of regions) for (const t of r.tables || []) names.add(t.name);
  return [...names].sort();
}

// linkState is a replication link's state: connected, disconnected or stuck
// (it cannot go past a message of the source's stream; reason says why).
function linkState(x) {
  return x.state || (x.connected ? 'connected' : 'disconnected');
}

function renderRegions(regions) {
  const box = $('regions');
  box.replaceChildren();
  for (const r of regions) {
    const up = !r.error;
    const links = el('div', {class: 'links'});
    for (const x of r.replication || []) {
      const st = linkState(x);
      links.append(el('span', {'data-source': x.source, 'data-connected': String(!!x.connected), 'data-state': st,
        title: st === 'stuck' ? 'stuck: ' + (x.reason || '') : st,
        text: x.source + (st === 'stuck' ? ' stuck' : x.connected ? ' ✓' : ' ✗')}));
    }
    const card = el('div', {class: 'card', 'data-region': r.region, 'data-state': up ? 'up' : 'down'},
      el('h3', {text: r.region + (up ? '' : ' (down)')}),
      el('div', {class: 'muted', text: up ? 'NATS ' + (r.nats || '?') + ' · published ' + ((r.publisher || {}).published ?? 0) +
        ((r.publisher || {}).connected === false ? ' · publisher disconnected' : '') : String(r.error)}),
      held(r),
      el('div', {class: 'muted', text: up ? 'replicating from:' : ''}), links);
    box.append(card);
  }
}

// held is the line that says what a region keeps aside: replicated
// changes parked for a table it does not hold yet, and quarantined ones
// (they can never apply as they are); empty when none.
function held(r) {
  const sum = m => Object.values(m || {}).reduce((a, b) => a + b, 0);
  const parked = sum(r.parked), quarantined = sum(r.quarantined);
  const parts = [];
  if (parked) parts.push(parked + ' changes parked (table not here yet)');
  if (quarantined) parts.push(quarantined + ' changes quarantined (POST /admin/quarantine/retry)');
  return el('div', {class: quarantined ? 'muted held-bad' : 'muted', 'data-parked': String(parked),
    'data-quarantined': String(quarantined), text: parts.join(' · ')});
}

function renderGrid(regions) {
  const names = tableNames(regions);
  const head = el('tr', {}, el('th', {text: 'table'}));
  for (const r of regions) head.append(el('th', {'data-region': r.region, text: r.region + (r.error ? ' (down)' : '')}));
  $('grid').tHead.replaceChildren(head);
  const body = $('grid').tBodies[0];
  body.replaceChildren();
  for (const n of names) {
    const cells = regions.map(r => (r.tables || []).find(t => t.name === n));
    const converged = cells.every(c => c && c.digest === cells[0].digest);
    const tr = el('tr', {'data-table': n, 'data-converged': String(converged)}, el('td', {text: n}));
    regions.forEach((r, i) => {
      const c = cells[i];
      if (!c) {
        tr.append(el('td', {class: 'missing', 'data-region': r.region, 'data-digest': '', text: '—'}));
        return;
      }
      tr.append(el('td', {'data-region': r.region, 'data-digest': c.digest, 'data-count': String(c.itemCount)},
        el('div', {text: c.itemCount + ' items'}), el('code', {title: c.digest, text: c.digest.slice(0, 12)})));
    });
    body.append(tr);
  }
  $('no-tables').hidden = names.length > 0;
}

function pairs(regions) {
  const out = [];
  for (const r of regions) {
    for (const x of r.replication || []) out.push({name: x.source + ' → ' + r.region, dest: r.region, x});
  }
  return out.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

function renderLinks(regions) {
  const body = $('links').tBodies[0];
  body.replaceChildren();
  for (const p of pairs(regions)) {
    const x = p.x;
    const st = linkState(x);
    body.append(el('tr', {'data-link': p.name, 'data-source': x.source, 'data-destination': p.dest, 'data-connected': String(!!x.connected), 'data-state': st},
      el('td', {text: p.name}), el('td', {text: (st === 'stuck' ? 'stuck at message ' + x.stuckSeq + ': ' + (x.reason || '') : st) +
        (x.gaps ? ' · ' + x.gaps + ' gap' + (x.gaps > 1 ? 's' : '') + ' resynced' : '') +
        ((x.backfill || {}).waiting ? ' · ' + x.backfill.waiting + ' copies waiting' : '')}),
      el('td', {text: Number(x.lagMillis || 0).toFixed(1)}), el('td', {text: String(x.pending ?? 0)}),
      el('td', {text: String(x.applied ?? 0)}), el('td', {text: String(x.discarded ?? 0)}), el('td', {text: String(x.errors ?? 0)})));
  }
}

function renderConflicts(regions) {
  const all = [];
  for (const r of regions) for (const c of r.conflicts || []) all.push({...c, seenIn: r.region});
  all.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const body = $('conflicts').tBodies[0];
  body.replaceChildren();
  for (const c of all.slice(0, 50)) {
    const t = new Date(c.at);
    body.append(el('tr', {'data-conflict': '', 'data-table': c.table, 'data-winner': c.winner, 'data-loser': c.loser},
      el('td', {text: isNaN(t) ? String(c.at) : t.toLocaleTimeString()}), el('td', {text: c.seenIn}),
      el('td', {text: c.table}), el('td', {}, el('code', {text: JSON.stringify(c.key)})),
      el('td', {text: c.winner}), el('td', {text: c.loser})));
  }
  $('no-conflicts').hidden = all.length > 0;
}

function push(map, name, v) {
  let s = map.get(name);
  if (!s) { s = []; map.set(name, s); }
  s.push(v);
  if (s.length > HISTORY) s.shift();
}

// sample appends this tick's point to every series; missing values are null.
function sample(regions) {
  const now = performance.now();
  const published = {};
  for (const r of regions) if (!r.error && r.publisher) published[r.region] = r.publisher.published;
  const seen = {writes: new Set(), lag: new Set(), pending: new Set()};
  if (state.prev) {
    const dt = (now - state.prev.t) / 1000;
    for (const [reg, n] of Object.entries(published)) {
      const before = state.prev.published[reg];
      if (before === undefined || dt <= 0) continue;
      push(state.series.writes, reg, Math.max(0, (n - before) / dt));
      seen.writes.add(reg);
    }
  }
  for (const p of pairs(regions)) {
    push(state.series.lag, p.name, Number(p.x.lagMillis || 0));
    push(state.series.pending, p.name, Number(p.x.pending || 0));
    seen.lag.add(p.name); seen.pending.add(p.name);
  }
  for (const k of Object.keys(seen)) {
    for (const [name, s] of state.series[k]) if (!seen[k].has(name)) push(state.series[k], name, null);
  }
  state.prev = {t: now, published};
}

function drawChart(id, legendId, map) {
  const cv = $(id);
  const dpr = window.devicePixelRatio || 1;
  const W = 360, H = 180;
  if (cv.width !== W * dpr) { cv.width = W * dpr; cv.height = H * dpr; }
  const g = cv.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, W, H);
  const L = 48, R = 8, T = 8, B = 20;
  let max = 0;
  for (const s of map.values()) for (const v of s) if (v !== null && v > max) max = v;
  max = niceMax(max);
  g.strokeStyle = '#e4e7ec'; g.fillStyle = '#667085'; g.font = '11px system-ui,sans-serif'; g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = T + (H - T - B) * (1 - i / 4);
    g.beginPath(); g.moveTo(L, y); g.lineTo(W - R, y); g.stroke();
    g.fillText(fmt(max * i / 4), 4, y + 4);
  }
  g.fillText('-' + HISTORY + 's', L, H - 4);
  g.fillText('now', W - R - 22, H - 4);
  const legend = $(legendId);
  legend.replaceChildren();
  let i = 0;
  for (const [name, s] of [...map.entries()].sort()) {
    const color = COLORS[i++ % COLORS.length];
    g.strokeStyle = color; g.lineWidth = 1.6; g.beginPath();
    let pen = false;
    s.forEach((v, j) => {
      if (v === null) { pen = false; return; }
      const x = L + (W - L - R) * (j + HISTORY - s.length) / (HISTORY - 1);
      const y = T + (H - T - B) * (1 - v / max);
      if (pen) g.lineTo(x, y); else g.moveTo(x, y);
      pen = true;
    });
    g.stroke();
    const last = s.length ? s[s.length - 1] : null;
    legend.append(el('span', {'data-series': name}, el('i', {style: 'background:' + color}), name + ': ' + (last === null ? '—' : fmt(last))));
  }
  cv.dataset.series = String(map.size);
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function fmt(v) {
  if (v >= 1000) return String(+(v / 1000).toFixed(1)) + 'k';
  return String(+v.toFixed(v < 10 ? 2 : 1));
}

async function tick() {
  let st;
  try {
    const resp = await fetch('/admin/status', {cache: 'no-store'});
    if (!resp.ok) throw new Error('status ' + resp.status);
    st = await resp.json();
  } catch (e) {
    const s = $('state');
    s.textContent = 'status unreachable: ' + e.message;
    s.dataset.converged = 'unreachable';
    return;
  }
  const {regions, converged, single} = normalize(st);
  const s = $('state');
  s.dataset.converged = String(converged);
  s.textContent = single ? 'region ' + regions[0].region + ' (this node only)' : converged ? 'converged' : 'not converged';
  $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  document.body.dataset.regions = regions.map(r => r.region).join(',');
  renderRegions(regions);
  renderGrid(regions);
  renderLinks(regions);
  renderConflicts(regions);
  sample(regions);
  drawChart('chart-writes', 'legend-writes', state.series.writes);
  drawChart('chart-lag', 'legend-lag', state.series.lag);
  drawChart('chart-pending', 'legend-pending', state.series.pending);
  document.body.dataset.ticks = String(Number(document.body.dataset.ticks || 0) + 1);
}

async function loop() {
  await tick();
  setTimeout(loop, 1000);
}
loop();
