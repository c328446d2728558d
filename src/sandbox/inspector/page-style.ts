/** The inspector page's style (served as /app.css). System fonts, no external assets. */
export const PAGE_STYLE = `
:root {
  --bg: #f2f4f7; --card: #fff; --text: #1d2733; --muted: #657282; --line: #dde3ea;
  --green: #06c755; --blue: #2f6fdf; --orange: #ff4f1f; --red: #d93b3b; --amber: #b7791f;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  --radius: 12px; --shadow: 0 1px 2px rgba(16,24,40,.06), 0 1px 3px rgba(16,24,40,.08);
}
* { box-sizing: border-box; }
html, body { margin: 0; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Thai", "Noto Sans TC", sans-serif; color: var(--text); background: var(--bg); }
h1, h2 { margin: 0; font-weight: 650; }
h1 { font-size: 17px; display: flex; align-items: center; gap: 8px; white-space: nowrap; }
h2 { font-size: 14px; }
button, input, select { font: inherit; color: inherit; }
button { cursor: pointer; border: 1px solid #c9d2dc; background: #fff; border-radius: 8px; padding: 6px 12px; font-weight: 550; }
button:hover { background: #f4f7fa; }
button:focus-visible, input:focus-visible, select:focus-visible, .event-main:focus-visible { outline: 2px solid var(--blue); outline-offset: 2px; }
button[disabled] { opacity: .55; cursor: default; }
input, select { border: 1px solid #c9d2dc; border-radius: 8px; padding: 7px 10px; background: #fff; min-width: 0; }
code { font-family: var(--mono); font-size: 12px; }
.muted { color: var(--muted); font-weight: 400; }
.spacer { flex: 1; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
[hidden] { display: none !important; }

.top { display: flex; align-items: center; gap: 14px; padding: 10px 20px; background: #121a24; color: #f1f5f9; }
.top .muted { color: #9aa8b8; }
.logo { display: inline-grid; place-items: center; width: 28px; height: 28px; border-radius: 8px; background: linear-gradient(135deg, var(--green) 50%, var(--orange) 50%); color: #fff; font-size: 11px; font-weight: 800; letter-spacing: .5px; }
.badge { background: #263447; color: #cfe9d9; border: 1px solid #35506a; border-radius: 999px; padding: 2px 10px; font-size: 12px; }
.relay { color: #9aa8b8; font-size: 12px; }
.relay code { color: #e2e8f0; }
.conn { white-space: nowrap; font-size: 12px; padding: 2px 10px; border-radius: 999px; background: #3a2a1a; color: #f7c98b; }
.conn.live { background: #123524; color: #8ee4b0; }
.conn.live::before { content: "● "; }

main { padding: 16px 20px 24px; display: grid; gap: 16px; max-width: 1500px; margin: 0 auto; }
.chat-bar { display: flex; align-items: center; gap: 10px; margin-bottom: 10px; }
.chat-bar label { font-weight: 600; }
.hint { color: var(--muted); font-size: 13px; }
.panes { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.pane { display: flex; flex-direction: column; height: 560px; background: var(--card); border-radius: var(--radius); box-shadow: var(--shadow); overflow: hidden; border: 1px solid var(--line); }
.pane-head { display: flex; align-items: baseline; gap: 10px; padding: 10px 14px; }
.who { color: var(--muted); font-size: 13px; }
.customer .pane-head { background: #1f2b3d; color: #fff; }
.customer .who { color: #b8c6d8; }
.agent .pane-head { border-bottom: 3px solid var(--orange); }
.messages { list-style: none; margin: 0; padding: 14px; flex: 1; overflow-y: auto; display: flex; flex-direction: column; gap: 10px; }
.customer .messages { background: #8cabd9; }
.agent .messages { background: #f7f8fa; }
.msg { display: flex; flex-direction: column; max-width: 78%; gap: 4px; }
.msg.mine { align-self: flex-end; align-items: flex-end; }
.msg.theirs { align-self: flex-start; align-items: flex-start; }
.msg.system { align-self: center; max-width: 90%; }
.bubble { padding: 8px 12px; border-radius: 16px; white-space: pre-wrap; overflow-wrap: anywhere; box-shadow: 0 1px 1px rgba(0,0,0,.08); }
.customer .mine .bubble { background: #a5e27b; border-top-right-radius: 4px; }
.customer .theirs .bubble { background: #fff; border-top-left-radius: 4px; }
.agent .theirs .bubble { background: #fff; border: 1px solid var(--line); border-top-left-radius: 4px; }
.agent .mine .bubble { background: var(--blue); color: #fff; border-top-right-radius: 4px; }
.agent .mine .bubble a { color: #fff; }
.bubble a { color: #1a56c4; }
.meta { font-size: 11px; color: var(--muted); }
.customer .meta { color: #f4f7fb; }
.sender { font-size: 12px; font-weight: 600; color: var(--muted); }
.note { font-size: 12px; padding: 4px 10px; border-radius: 999px; background: #fde8e8; color: #8a1f1f; }
.note.ok { background: #e6f6ec; color: #17603a; }
.media { display: block; max-width: 220px; max-height: 180px; border-radius: 10px; background: #e9eef5; }
.sticker-img { width: 120px; height: 120px; object-fit: contain; background: transparent; }
.missing { display: inline-flex; align-items: center; gap: 6px; min-width: 120px; min-height: 64px; padding: 10px 12px; border-radius: 10px; border: 1px dashed #9aa8b8; background: rgba(255,255,255,.85); color: #334155; font-size: 12px; white-space: normal; }
.place { display: grid; gap: 2px; background: #fff; border-radius: 12px; padding: 10px 12px; min-width: 220px; box-shadow: 0 1px 1px rgba(0,0,0,.08); }
.place strong { font-size: 14px; }
.place-kind { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.missing-icon { flex: none; width: 16px; height: 12px; border: 1.5px solid currentColor; border-radius: 3px; opacity: .7; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; }
.chip { border-radius: 999px; padding: 4px 12px; font-size: 13px; border: 1px solid #06a046; background: #fff; color: #05803a; }
.agent .chip { border-color: #9db8ee; color: var(--blue); cursor: default; }
.messages > li:not(:last-child) .chips.live { display: none; }
.composer { display: flex; gap: 8px; padding: 10px 12px; border-top: 1px solid var(--line); }
.composer input { flex: 1; }
.composer button[type=submit] { background: var(--green); border-color: var(--green); color: #fff; }
.agent .composer button[type=submit] { background: var(--blue); border-color: var(--blue); }
.agent-composer { display: grid; grid-template-columns: 1fr 1fr auto; gap: 8px 10px; align-items: end; }
.agent-composer .reply { grid-column: 1 / 3; }
.agent-composer button[type=submit] { grid-column: 3; grid-row: 1; }
.field { display: grid; gap: 3px; min-width: 0; }
.field label { font-size: 12px; font-weight: 600; }
.tools { display: grid; gap: 8px; padding: 4px 12px 12px; }
.tool-row { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.tool-label { width: 64px; font-size: 12px; font-weight: 600; color: var(--muted); }
.palette { display: flex; flex-wrap: wrap; gap: 6px; }
.palette button { border-radius: 999px; padding: 4px 10px; font-size: 13px; }
.file { font-size: 12px; color: var(--muted); }
.file input { border: 0; padding: 0; font-size: 12px; max-width: 210px; }

.inspect { display: grid; grid-template-columns: minmax(0, 1.35fr) minmax(0, 1fr); gap: 16px; align-items: start; }
.events, .details { background: var(--card); border-radius: var(--radius); box-shadow: var(--shadow); border: 1px solid var(--line); overflow: hidden; }
.section-head { display: flex; align-items: center; gap: 10px; padding: 10px 14px; border-bottom: 1px solid var(--line); }
.quiet { font-size: 12px; padding: 3px 10px; }
.event-cols, .event-main { display: grid; grid-template-columns: 88px 124px 62px minmax(0, 1fr) 118px 58px; gap: 8px; align-items: center; }
.event-cols { padding: 6px 14px; font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); border-bottom: 1px solid var(--line); padding-right: 98px; }
.event-list { list-style: none; margin: 0; padding: 0; max-height: 520px; overflow-y: auto; }
.event { display: flex; align-items: center; border-bottom: 1px solid #eef1f4; }
.event.selected { background: #eef4ff; box-shadow: inset 3px 0 0 var(--blue); }
.event.fresh { animation: flash 1.2s ease-out; }
@keyframes flash { from { background: #fff6d6; } }
.event-main { flex: 1; min-width: 0; text-align: left; border: 0; border-radius: 0; background: transparent; padding: 7px 14px; font-weight: 400; }
.event-main:hover { background: #f6f8fb; }
.event .time { font-family: var(--mono); font-size: 12px; color: var(--muted); }
.event .type { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: var(--mono); font-size: 12.5px; }
.event .latency { font-family: var(--mono); font-size: 12px; text-align: right; color: var(--muted); }
.event-actions { width: 84px; padding-right: 10px; text-align: right; }
.event-actions button { font-size: 12px; padding: 3px 10px; }
.flow { font-size: 11.5px; font-weight: 600; padding: 2px 7px; border-radius: 6px; white-space: nowrap; }
.flow.in { background: #e3f7ea; color: #0b7a3b; }
.flow.out { background: #e6eefc; color: #1d4fb0; }
.flow.delivery { background: transparent; box-shadow: inset 0 0 0 1px currentColor; }
.status { display: flex; align-items: center; gap: 6px; white-space: nowrap; }
.status .code { font-family: var(--mono); font-size: 11.5px; color: var(--muted); }
.chan { font-size: 12.5px; }
.pill { display: inline-block; font-size: 11.5px; font-weight: 600; padding: 2px 8px; border-radius: 999px; background: #eef1f4; color: #445; }
.pill.accepted { background: #e6eefc; color: #1d4fb0; }
.pill.delivered { background: #e3f7ea; color: #0b7a3b; }
.pill.refused, .pill.failed, .pill.dead { background: #fde8e8; color: #a32020; }
.pill.retrying { background: #fdf3dc; color: #8a5a00; }
.pill.duplicate, .pill.ignored { background: #eef1f4; color: #556; }
.empty { color: var(--muted); padding: 14px; margin: 0; }
#details-body { padding: 12px 14px; display: grid; gap: 12px; max-height: 620px; overflow-y: auto; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; font-size: 13px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.payload h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 6px; }
.payload pre { margin: 0; padding: 10px 12px; background: #0f1722; color: #dbe5f0; border-radius: 10px; font: 12px/1.5 var(--mono); max-height: 300px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.toast { position: fixed; bottom: 18px; right: 18px; max-width: 480px; display: flex; align-items: flex-start; gap: 12px; padding: 10px 10px 10px 14px; border-radius: 10px; background: #121a24; color: #f1f5f9; box-shadow: 0 6px 24px rgba(0,0,0,.25); font-size: 13px; overflow-wrap: anywhere; }
.toast button { flex: none; background: transparent; color: inherit; border-color: rgba(255,255,255,.35); font-size: 12px; padding: 2px 8px; }
.toast button:hover { background: rgba(255,255,255,.1); }
.toast.bad { background: #7f1d1d; }

@media (max-width: 980px) {
  .panes, .inspect { grid-template-columns: 1fr; }
  .pane { height: 480px; }
  .relay, .hint { display: none; }
  .top { padding: 10px 14px; }
  main { padding: 12px; }
  .chat-bar select { flex: 1; }
}
`;
