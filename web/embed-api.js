// The postMessage interface for a course page that embeds the demo in an
// iframe. The parent may send
//   { type: 'sparse-iht:set-state', state: { s: 7, seed: 3, … } }
// (keys and values as in the URL, checked by state.js's parsePartialState) and then receives
//   { type: 'sparse-iht:result', … } after each finished run,
//   { type: 'sparse-iht:notice', message } when the demo changes what it was
//     asked for (an s above n lowered to n, say), or
//   { type: 'sparse-iht:error', message } for a rejected message.
// Anything else, or anything not from the parent window, is ignored. Results
// go only to the origin that sent the last accepted message.
const isPlainObject = (x) => typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;

// parsePartialState: the page's check of a partial state (state.js createState).
export function connectParent({ onSetState, parsePartialState }) {
  const parent = window.parent;
  if (!parent || parent === window) return { sendResult() {}, sendNotice() {} };
  let origin = null;

  window.addEventListener('message', (event) => {
    if (event.source !== parent) return;
    const message = event.data;
    if (!isPlainObject(message) || message.type !== 'sparse-iht:set-state') return;
    const keys = Object.keys(message);
    const reply = event.origin === 'null' ? '*' : event.origin;
    if (keys.some((k) => k !== 'type' && k !== 'state')) {
      parent.postMessage({ type: 'sparse-iht:error', message: 'set-state takes only { type, state }' }, reply);
      return;
    }
    const parsed = parsePartialState(message.state);
    if ('error' in parsed) {
      parent.postMessage({ type: 'sparse-iht:error', message: parsed.error }, reply);
      return;
    }
    origin = reply;
    onSetState(parsed.values);
  });

  // Carries no data: it only tells the parent that it may send settings now.
  parent.postMessage({ type: 'sparse-iht:ready' }, '*');

  return {
    sendResult(summary) {
      if (origin) parent.postMessage({ type: 'sparse-iht:result', ...summary }, origin);
    },
    // A notice the page shows, once the parent has sent settings: what the
    // demo did instead of what it was asked.
    sendNotice(message) {
      if (origin) parent.postMessage({ type: 'sparse-iht:notice', message }, origin);
    },
  };
}
