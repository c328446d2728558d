/*
 * The sandbox chat of the inspector page: the customer's LINE pane renders LINE message objects as the
 * LINE app would, the agent's pane renders Genesys messages as the agent sees them. Images that cannot
 * load (offline) show their alt text. Uses app.js's helpers ($, el, post, toast, clock, failed).
 */
'use strict';
window.chat = (function () {
  var info, convos = [], current = null, entries = [], receipts = {};
  var STICKER_CDN = 'https://stickershop.line-scdn.net/stickershop/v1/sticker/';
  function key(channelId, userId) { return channelId + '|' + userId; }
  function convo() { return convos.find(function (c) { return c.key === current; }); }

  function addConvo(channelId, userId, name) {
    var k = key(channelId, userId);
    if (convos.some(function (c) { return c.key === k; })) return;
    var market = (info.channels.find(function (c) { return c.id === channelId; }) || {}).market || '';
    var c = { key: k, channelId: channelId, userId: userId, name: name || ('LINE user ' + userId.slice(-4)), market: market };
    convos.push(c);
    $('convo').append(el('option', { value: k, text: channelId + ' · ' + (market ? market + ' · ' : '') + c.name }));
  }
  function choose(k) {
    current = k; $('convo').value = k;
    var c = convo();
    var opt = $('convo').selectedOptions[0]; if (opt) opt.textContent = opt.textContent.replace(/ \(new\)$/, '');
    $('customer-name').textContent = c.name + ' · ' + c.userId.slice(0, 9) + '…';
    $('agent-channel').textContent = 'Open Messaging · LINE ' + (c.market || c.channelId);
    render();
  }

  function link(url, text) { return el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: text || url }); }
  function linkify(text) {
    var parts = String(text).split(/(https?:\/\/[^\s]+)/g);
    return parts.map(function (p, i) { return i % 2 ? link(p) : document.createTextNode(p); });
  }
  function picture(src, alt, cls) {
    var img = el('img', { src: src, alt: alt, className: cls || 'media', loading: 'lazy' });
    img.addEventListener('load', function () { var box = img.closest('.messages'); if (box) box.scrollTop = box.scrollHeight; });
    img.addEventListener('error', function () { img.replaceWith(el('span', { className: 'missing', title: src, 'data-testid': 'image-missing' }, [el('span', { className: 'missing-icon', 'aria-hidden': 'true' }), alt])); });
    return img;
  }
  function bubble(kids) { return el('div', { className: 'bubble' }, kids); }
  function place(m) {
    var url = 'https://www.google.com/maps/search/?api=1&query=' + m.latitude + ',' + m.longitude;
    return el('div', { className: 'place' }, [el('span', { className: 'place-kind', text: 'Location' }), el('strong', { text: m.title || 'Shared location' }), m.address ? el('span', { text: m.address }) : null, link(url, 'Open in Maps')]);
  }

  /** A LINE message object (webhook or Messaging API shape), as the LINE app shows it. */
  function lineMessage(m, preview) {
    switch (m.type) {
      case 'text': return bubble(linkify(m.text));
      case 'postback': return bubble([m.text || '(postback)']);
      case 'sticker': return picture(STICKER_CDN + m.stickerId + '/android/sticker.png', 'Sticker ' + m.packageId + '/' + m.stickerId + (m.keywords && m.keywords.length ? ': ' + m.keywords.join(', ') : ''), 'sticker-img');
      case 'location': return place(m);
      case 'image': return preview ? picture(preview, 'Image the customer sent') : picture(m.originalContentUrl || m.previewImageUrl || '', 'Image: ' + (m.originalContentUrl || 'from LINE'));
      case 'video': return bubble(['Video: ', link(m.originalContentUrl)]);
      case 'audio': return bubble(['Audio: ', link(m.originalContentUrl)]);
      case 'flex': case 'template': case 'imagemap': return bubble([m.type + ': ' + (m.altText || '')]);
      default: return bubble(['[' + m.type + ']']);
    }
  }
  function quickReplies(items) {
    return el('div', { className: 'chips live', 'data-testid': 'quick-replies' }, items.map(function (it) {
      var a = it.action || {};
      return el('button', { type: 'button', className: 'chip', text: a.label || a.displayText || a.text, onclick: function () {
        if (a.type === 'postback') sendCustomer({ kind: 'postback', data: a.data, displayText: a.displayText || a.label });
        else if (a.type === 'message') sendCustomer({ kind: 'text', text: a.text });
        else if (a.uri) window.open(a.uri, '_blank', 'noopener');
      } });
    }));
  }
  function meta(e, extra) {
    var bits = [clock(e.at)];
    if (e.api) bits.push(e.api === 'reply' ? 'reply (free)' : 'push');
    if (e.answer && e.answer.status !== 200) bits.push('relay answered ' + e.answer.status);
    return el('span', { className: 'meta' }, [bits.join(' · ')].concat(extra || []));
  }

  function customerItem(e) {
    var mine = e.from === 'customer';
    var li = el('li', { className: 'msg ' + (mine ? 'mine' : 'theirs'), 'data-testid': mine ? 'customer-sent' : 'customer-received' });
    (e.line || []).forEach(function (m) { li.append(lineMessage(m, e.preview)); });
    var last = (e.line || [])[(e.line || []).length - 1];
    if (last && last.quickReply && last.quickReply.items) li.append(quickReplies(last.quickReply.items));
    li.append(meta(e));
    return li;
  }
  function attachment(a) {
    if (a.mediaType === 'Image' && a.url) return picture(a.url, (a.filename || 'image') + (a.text ? ': ' + a.text : ''), /^sticker-/.test(a.filename || '') ? 'sticker-img' : 'media');
    return bubble([a.mediaType + ': ', a.url ? link(a.url, a.filename || a.text || a.url) : (a.filename || a.mediaType)]);
  }
  function receiptNote(r) {
    return r.status === 'Delivered' ? el('span', { className: 'note ok', text: 'Delivered on LINE ✓' }) : el('span', { className: 'note', text: r.status + (r.reason ? ': ' + r.reason : '') });
  }
  function agentItem(e) {
    if (e.receipt) return el('li', { className: 'msg system', 'data-testid': 'agent-receipt' }, [receiptNote(e.receipt)]);
    var mine = e.from === 'agent', g = e.genesys || {};
    var li = el('li', { className: 'msg ' + (mine ? 'mine' : 'theirs'), 'data-testid': mine ? 'agent-sent' : 'agent-received' });
    if (!mine && g.nickname) li.append(el('span', { className: 'sender', text: g.nickname }));
    if (g.text) li.append(bubble(linkify(g.text)));
    var chips = [];
    (g.content || []).forEach(function (c) {
      // the customer's content items hold only {attachment}; the agent's say contentType: 'Attachment'
      if (c.attachment) li.append(attachment(c.attachment));
      else if (c.contentType === 'QuickReply' && c.quickReply) chips.push(el('span', { className: 'chip', text: c.quickReply.text }));
    });
    if (chips.length) li.append(el('div', { className: 'chips' }, chips));
    var status = el('span', { 'data-message-id': g.messageId || '' });
    if (g.messageId && receipts[g.messageId]) status.append(' ', receiptNote(receipts[g.messageId]));
    li.append(meta(e, mine ? [status] : []));
    return li;
  }

  function show(e) {
    var pane = $(e.pane === 'customer' ? 'customer-messages' : 'agent-messages');
    if (e.receipt) {
      var slot = pane.querySelector('[data-message-id="' + e.receipt.messageId + '"]');
      if (slot) { slot.replaceChildren(' ', receiptNote(e.receipt)); return; }
      if (e.receipt.status === 'Delivered') return;
    }
    pane.append(e.pane === 'customer' ? customerItem(e) : agentItem(e));
    pane.scrollTop = pane.scrollHeight;
  }
  function render() {
    $('customer-messages').replaceChildren(); $('agent-messages').replaceChildren();
    entries.filter(function (e) { return key(e.channelId, e.userId) === current; }).forEach(show);
  }
  function add(e) {
    if (entries.some(function (x) { return x.id === e.id; })) return;
    entries.push(e);
    if (e.receipt) receipts[e.receipt.messageId] = e.receipt;
    addConvo(e.channelId, e.userId);
    if (key(e.channelId, e.userId) === current) show(e);
    else {
      var opt = Array.from($('convo').options).find(function (o) { return o.value === key(e.channelId, e.userId); });
      if (opt && !/ \(new\)$/.test(opt.textContent)) opt.textContent += ' (new)';
    }
  }

  function sendCustomer(body) {
    var c = convo();
    return post('/api/customer', Object.assign({ channelId: c.channelId, userId: c.userId }, body)).then(function (r) {
      if (r.status >= 400) failed('Sending as the customer', r);
      return r;
    }, function (e) { toast('Sending failed: ' + e.message, true); });
  }
  /** The code an agent types for a sticker (src/transform/sticker-code.ts reads it). */
  function stickerCode(s) { return '[sticker ' + s.packageId + '/' + s.stickerId + ']'; }
  function sendAgentSticker(s) {
    var c = convo();
    post('/api/agent', { channelId: c.channelId, to: c.userId, text: stickerCode(s) }).then(function (r) {
      if (r.status >= 400) failed('Sending a sticker as the agent', r);
    }, function (e) { toast('Sending failed: ' + e.message, true); });
  }
  function sendAgent() {
    var c = convo();
    var body = { channelId: c.channelId, to: c.userId, text: $('agent-text').value, imageUrl: $('agent-image').value, quickReplies: $('agent-quick').value };
    post('/api/agent', body).then(function (r) {
      if (r.status >= 400) return failed('Sending as the agent', r);
      $('agent-text').value = ''; $('agent-image').value = ''; $('agent-quick').value = '';
    }, function (e) { toast('Sending failed: ' + e.message, true); });
  }
  function sendFile(file) {
    var reader = new FileReader();
    reader.onload = function () { sendCustomer({ kind: 'image', image: { base64: String(reader.result).split(',')[1], contentType: file.type } }); };
    reader.readAsDataURL(file);
  }

  function start(i) {
    info = i;
    (info.customers || []).forEach(function (c) { addConvo(c.channelId, c.userId, c.displayName); });
    $('convo').onchange = function () { choose($('convo').value); };
    if (convos[0]) choose(convos[0].key);
    info.stickers.forEach(function (s) {
      $('stickers').append(el('button', { type: 'button', 'data-testid': 'sticker-' + s.packageId + '-' + s.stickerId, title: 'Sticker ' + s.packageId + '/' + s.stickerId + ': ' + s.keywords.join(', '), text: s.label,
        onclick: function () { sendCustomer({ kind: 'sticker', packageId: s.packageId, stickerId: s.stickerId, keywords: s.keywords }); } }));
      $('agent-stickers').append(el('button', { type: 'button', 'data-testid': 'agent-sticker-' + s.packageId + '-' + s.stickerId, title: 'Sends ' + stickerCode(s), text: s.label,
        onclick: function () { sendAgentSticker(s); } }));
    });
    info.places.forEach(function (p, n) { $('place').append(el('option', { value: n, text: p.title })); });
    $('send-location').onclick = function () { sendCustomer(Object.assign({ kind: 'location' }, info.places[$('place').value])); };
    $('send-image').onclick = function () { sendCustomer({ kind: 'image', image: 'sample' }); };
    $('image-file').onchange = function (ev) { var f = ev.target.files[0]; if (f) sendFile(f); ev.target.value = ''; };
    $('customer-form').onsubmit = function (ev) {
      ev.preventDefault();
      var input = $('customer-text');
      if (!input.value.trim()) return;
      sendCustomer({ kind: 'text', text: input.value }).then(function (r) { if (r && r.status < 400) input.value = ''; });
    };
    $('agent-form').onsubmit = function (ev) { ev.preventDefault(); sendAgent(); };
  }
  return { start: start, add: add };
})();
