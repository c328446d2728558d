/*
 * The inspector page's script: the live event list and its details. Plain browser JavaScript, no
 * bundler, no framework. Untrusted text only ever goes through textContent. chat.js (the sandbox's
 * two chat panes) uses the helpers defined here.
 */
'use strict';
var app = { info: null, activities: {}, order: [], selected: null, replays: {} };
function $(id) { return document.getElementById(id); }
function el(tag, props, kids) {
  var n = document.createElement(tag);
  for (var k in (props || {})) {
    var v = props[k];
    if (v === undefined || v === null || v === false) continue;
    if (k === 'className') n.className = v;
    else if (k === 'text') n.textContent = v;
    else if (k.slice(0, 2) === 'on') n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v === true ? '' : String(v));
  }
  (kids || []).forEach(function (c) { if (c !== null && c !== undefined) n.append(c); });
  return n;
}
function pad(n, w) { return String(n).padStart(w || 2, '0'); }
function clock(ms) { var d = new Date(ms); return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3); }
function pretty(v) { return typeof v === 'string' ? v : JSON.stringify(v, null, 2); }
var toastTimer;
function toast(text, bad) {
  var t = $('toast');
  $('toast-text').textContent = text; t.className = 'toast' + (bad ? ' bad' : ''); t.hidden = false;
  clearTimeout(toastTimer); toastTimer = setTimeout(function () { t.hidden = true; }, bad ? 9000 : 4500);
}
function post(path, body) {
  return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) })
    .then(function (res) { return res.text().then(function (t) { var b = t; try { b = JSON.parse(t); } catch (e) {} return { status: res.status, body: b }; }); });
}
function answerText(a) { return 'HTTP ' + a.status + (a.body === '' || a.body === undefined ? '' : ' ' + (typeof a.body === 'string' ? a.body : JSON.stringify(a.body))); }
function failed(what, a) { toast(what + ' failed: ' + (a.body && a.body.message ? a.body.message : answerText(a)), true); }

var FLOW = { in: { webhook: 'LINE → relay', delivery: 'relay → Genesys' }, out: { webhook: 'Genesys → relay', delivery: 'relay → LINE' } };

function eventRow(a) {
  var replay = a.replayable ? el('button', { type: 'button', 'data-testid': 'replay', 'aria-label': 'Replay event ' + a.id, onclick: function () { replayEvent(a.id); }, text: 'Replay' }) : null;
  var main = el('button', { type: 'button', className: 'event-main', 'aria-label': 'Details of event ' + a.id + ': ' + a.type + ', ' + a.status, onclick: function () { select(a.id); } }, [
    el('span', { className: 'time', text: clock(a.at) }),
    el('span', {}, [el('span', { className: 'flow ' + a.direction + ' ' + a.stage, title: a.stage, text: FLOW[a.direction][a.stage] })]),
    el('span', { className: 'chan', text: a.channelId ? a.channelId + (a.market ? ' · ' + a.market : '') : '—' }),
    el('span', { className: 'type', title: a.type, text: a.type }),
    el('span', { className: 'status' }, [el('span', { className: 'pill ' + a.status, text: a.status }), a.httpStatus ? el('span', { className: 'code', text: String(a.httpStatus) }) : null]),
    el('span', { className: 'latency', text: a.latencyMs === undefined ? '' : a.latencyMs + ' ms' }),
  ]);
  return el('li', { className: 'event fresh', 'data-testid': 'event-row', 'data-id': a.id, 'data-direction': a.direction, 'data-stage': a.stage, 'data-status': a.status, 'data-type': a.type }, [main, el('span', { className: 'event-actions' }, [replay])]);
}

function addActivity(a) {
  if (app.activities[a.id]) return;
  app.activities[a.id] = a; app.order.push(a.id);
  $('events').prepend(eventRow(a));
  countEvents();
}
function countEvents() {
  var n = $('events').children.length;
  $('event-count').textContent = n + (n === 1 ? ' event' : ' events');
  $('no-events').hidden = n > 0;
}

function fact(name, value) { return value === undefined || value === null || value === '' ? [] : [el('dt', { text: name }), el('dd', { text: String(value) })]; }
function payload(title, value, testid) {
  if (value === undefined) return null;
  return el('section', { className: 'payload' }, [el('h3', { text: title }), el('pre', { 'data-testid': testid, text: pretty(value) })]);
}
function select(id) {
  app.selected = id;
  document.querySelectorAll('.event.selected').forEach(function (n) { n.classList.remove('selected'); });
  var row = document.querySelector('.event[data-id="' + id + '"]');
  if (row) row.classList.add('selected');
  renderDetails();
}
function renderDetails() {
  var a = app.activities[app.selected];
  var body = $('details-body');
  body.replaceChildren();
  $('details-replay').hidden = !(a && a.replayable);
  if (!a) return;
  var inbound = a.direction === 'in';
  var facts = [].concat(
    fact('Event', '#' + a.id), fact('Time', new Date(a.at).toLocaleString() + ' (' + clock(a.at) + ')'),
    fact('Flow', FLOW[a.direction][a.stage] + ' (' + a.stage + ')'), fact('Channel', a.channelId && (a.channelId + (a.market ? ' · ' + a.market : ''))),
    fact('Type', a.type), fact('Status', a.status), fact('HTTP status', a.httpStatus), fact('Latency', a.latencyMs === undefined ? '' : a.latencyMs + ' ms'),
    fact('Job', a.jobId), fact('Customer', a.userId), fact('Detail', a.detail));
  body.append(el('dl', { className: 'facts' }, facts));
  body.append(payload(inbound ? 'LINE event received' : 'Genesys message received', a.source, 'details-source') || '');
  body.append(payload(inbound ? 'Genesys message we produced' : 'Delivery receipt we sent to Genesys', a.produced, 'details-produced') || '');
  var answer = { stage: a.stage, status: a.status };
  if (a.httpStatus !== undefined) answer.httpStatus = a.httpStatus;
  if (a.detail) answer.detail = a.detail;
  body.append(payload(a.stage === 'webhook' ? 'The relay’s answer to the webhook' : 'The outcome of the delivery', answer, 'details-answer'));
  (app.replays[a.id] || []).forEach(function (r) { body.append(payload('Replayed at ' + clock(r.at) + ': the relay answered', { status: r.status, body: r.body }, 'details-replay-answer')); });
}
function replayEvent(id, confirmed) {
  post('/api/replay/' + id, confirmed ? { confirm: true } : {}).then(function (r) {
    // With real accounts the relay asks first: it says what would be pushed to which customer.
    if (r.status === 428 && r.body && r.body.error === 'confirm') {
      if (window.confirm(r.body.message)) replayEvent(id, true); else toast('Replay of event #' + id + ' cancelled: nothing was sent');
      return;
    }
    (app.replays[id] = app.replays[id] || []).push({ at: Date.now(), status: r.status, body: r.body });
    if (r.status >= 400) failed('Replay of event #' + id, r); else toast('Replayed event #' + id + ': the relay answered ' + answerText(r));
    if (app.selected === id) renderDetails();
  }, function (e) { toast('Replay failed: ' + e.message, true); });
}

function connect() {
  var es = new EventSource('/events');
  var conn = $('conn');
  es.onopen = function () { conn.textContent = 'live'; conn.className = 'conn live'; };
  es.onerror = function () { conn.textContent = 'reconnecting…'; conn.className = 'conn'; };
  es.addEventListener('activity', function (e) { addActivity(JSON.parse(e.data)); });
  es.addEventListener('chat', function (e) { if (window.chat) window.chat.add(JSON.parse(e.data)); });
}

function start() {
  $('toast-close').onclick = function () { $('toast').hidden = true; };
  $('clear').onclick = function () { $('events').replaceChildren(); countEvents(); };
  $('details-replay').onclick = function () { if (app.selected) replayEvent(app.selected); };
  countEvents();
  fetch('/api/info').then(function (r) { return r.json(); }).then(function (info) {
    app.info = info;
    $('relay-url').textContent = info.relayUrl || '(not listening)';
    if (info.sandbox && window.chat) { $('mode').hidden = false; $('chat').hidden = false; window.chat.start(info); }
    connect();
  }, function (e) { toast('Could not reach the inspector: ' + e.message, true); });
}
document.addEventListener('DOMContentLoaded', start);
