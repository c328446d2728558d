/**
 * The inspector page's markup. Plain HTML: the style and the script are served beside it
 * (/app.css, /app.js) from strings, with no external assets, so it works offline.
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>line-genesys inspector</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header class="top">
  <h1><span class="logo" aria-hidden="true">LG</span> line-genesys <span class="muted">inspector</span></h1>
  <span id="mode" class="badge" hidden data-testid="mode">sandbox</span>
  <span class="spacer"></span>
  <span class="relay">relay <code id="relay-url">…</code></span>
  <span id="conn" class="conn" role="status" data-testid="connection">connecting…</span>
</header>

<main>
  <section id="chat" class="chat" hidden aria-label="Sandbox conversation">
    <div class="chat-bar">
      <label for="convo">Conversation</label>
      <select id="convo" data-testid="conversation"></select>
      <span class="hint">You play both sides: the customer on LINE (left) and the agent in Genesys Cloud (right). Everything goes through the relay.</span>
    </div>
    <div class="panes">
      <section class="pane customer" aria-labelledby="customer-title" data-testid="customer-pane">
        <header class="pane-head"><h2 id="customer-title">Customer · LINE</h2><span id="customer-name" class="who"></span></header>
        <ol id="customer-messages" class="messages" data-testid="customer-messages" aria-live="polite" aria-label="What the customer sees"></ol>
        <form id="customer-form" class="composer">
          <label for="customer-text" class="sr-only">Message from the customer</label>
          <input id="customer-text" data-testid="customer-text" placeholder="Type a message as the customer" autocomplete="off">
          <button type="submit" data-testid="customer-send">Send</button>
        </form>
        <div class="tools">
          <div class="tool-row" role="group" aria-labelledby="stickers-label">
            <span id="stickers-label" class="tool-label">Sticker</span>
            <span id="stickers" class="palette"></span>
          </div>
          <div class="tool-row">
            <label for="place" class="tool-label">Location</label>
            <select id="place" data-testid="place"></select>
            <button type="button" id="send-location" data-testid="send-location">Send location</button>
          </div>
          <div class="tool-row">
            <span class="tool-label">Image</span>
            <button type="button" id="send-image" data-testid="send-image">Send sample image</button>
            <label class="file">or your own file <input type="file" id="image-file" accept="image/png,image/jpeg"></label>
          </div>
        </div>
      </section>

      <section class="pane agent" aria-labelledby="agent-title" data-testid="agent-pane">
        <header class="pane-head"><h2 id="agent-title">Agent · Genesys Cloud</h2><span id="agent-channel" class="who"></span></header>
        <ol id="agent-messages" class="messages" data-testid="agent-messages" aria-live="polite" aria-label="What the agent sees"></ol>
        <form id="agent-form" class="composer agent-composer">
          <div class="field reply"><label for="agent-text">Reply</label>
            <input id="agent-text" data-testid="agent-text" placeholder="Type the agent's answer" autocomplete="off"></div>
          <button type="submit" data-testid="agent-send">Send reply</button>
          <div class="field"><label for="agent-image">Image URL <span class="muted">(https, optional)</span></label>
            <input id="agent-image" data-testid="agent-image" type="url" placeholder="https://example.com/receipt.png" autocomplete="off"></div>
          <div class="field"><label for="agent-quick">Quick replies <span class="muted">(comma-separated)</span></label>
            <input id="agent-quick" data-testid="agent-quick" placeholder="Track my order, Talk to a person" autocomplete="off"></div>
        </form>
      </section>
    </div>
  </section>

  <section class="inspect">
    <section class="events" aria-labelledby="events-title">
      <header class="section-head">
        <h2 id="events-title">Events</h2>
        <span id="event-count" class="muted" data-testid="event-count">0</span>
        <span class="spacer"></span>
        <button type="button" id="clear" class="quiet">Clear list</button>
      </header>
      <div class="event-cols" aria-hidden="true"><span>Time</span><span>Flow</span><span>Channel</span><span>Type</span><span>Status</span><span>Latency</span><span></span></div>
      <ol id="events" class="event-list" data-testid="events" aria-label="Events, newest first"></ol>
      <p id="no-events" class="empty">No events yet. Send a message, or point LINE and Genesys at the relay.</p>
    </section>
    <section class="details" aria-labelledby="details-title" data-testid="details">
      <header class="section-head"><h2 id="details-title">Details</h2><span class="spacer"></span><button type="button" id="details-replay" hidden data-testid="details-replay">Replay</button></header>
      <div id="details-body"><p class="empty">Choose an event to see what came in, what the relay produced and the answers.</p></div>
    </section>
  </section>
</main>
<div id="toast" class="toast" role="status" aria-live="polite" data-testid="toast" hidden><span id="toast-text"></span><button type="button" id="toast-close" data-testid="toast-close">Dismiss</button></div>
</body>
</html>
`;
