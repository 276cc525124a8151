// The start-up watch: a classic script that runs before the page's modules and
// imports nothing, so it still works when they cannot. Until main.js says the
// page is ready (the model worker has loaded the package), any failure becomes
// the message at the top of the page, with its text and what to try:
// - a module of the page that cannot be fetched (its <script> element's error),
//   which is every module when the page is opened from a file;
// - a module that throws while it is evaluated, or any uncaught error or
//   rejection (the window's error and unhandledrejection events);
// - a missing engine feature or a model worker that cannot start (main.js
//   calls fail() with the model's error);
// - nothing at all for TIMEOUT_MS: a message that says so, removed if the
//   page becomes ready after all.
// In an iframe it also posts { type: 'sparse-iht:error', phase: 'startup',
// kind, message } to the parent page.
// It also keeps every uncaught error and Content-Security-Policy violation of
// the page's life in `errors`, for the browser tests: WebKit's WebDriver does
// not expose the console. Written without modules, arrows or let, so that an
// engine too old for the page still runs it and shows why.
(function () {
  'use strict';

  var TIMEOUT_MS = 20000;
  var NEEDS = 'the demo needs Chrome or Edge 95+, Firefox 114+ or Safari 16.4+';
  var HINTS = {
    file:
      'Reload the page. If this message comes back, the site lacks one of the page’s files or something on the way blocks it: ' +
      'whoever hosts the demo should serve the whole dist/web folder.',
    code:
      'Reload the page. If this message comes back, this browser cannot run the demo’s code: open the page in a current ' +
      'Chrome, Edge, Firefox or Safari, and please report the message above with the name and version of this browser.',
    local:
      'The page was opened from a file on this computer, and browsers do not load JavaScript modules from files: serve the ' +
      'folder with a web server instead (npm start in the repository, or any static host), and open the address it gives.',
    engine: 'This browser is too old for the demo: update it, or open the page in a current Chrome, Edge, Firefox or Safari (' + NEEDS + ').',
    worker:
      'Reload the page. If this message comes back and names a feature this browser lacks, update the browser or open the page ' +
      'in a current Chrome, Edge, Firefox or Safari (' + NEEDS + ').',
    timeout:
      'On a slow connection or a busy computer it may still start: this message goes away when it does. Otherwise reload the ' +
      'page, and if it never starts, open it in a current Chrome, Edge, Firefox or Safari (' + NEEDS + ').',
  };

  var errors = [];
  var ready = false;
  var failed = false;

  function whenParsed(fn) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fn);
    else fn();
  }

  function show(title, text, kind) {
    whenParsed(function () {
      var box = document.getElementById('boot-error');
      if (!box) return;
      document.getElementById('boot-error-title').textContent = title;
      document.getElementById('boot-error-text').textContent = text;
      document.getElementById('boot-error-hint').textContent = HINTS[kind];
      box.setAttribute('data-kind', kind);
      box.hidden = false;
      var summary = document.getElementById('curves-summary');
      if (summary && kind !== 'timeout') summary.textContent = 'The model is not loaded: see the message at the top of the page.';
    });
  }

  function fail(text, kind) {
    if (ready || failed) return;
    failed = true;
    show('The demo could not start', text, kind);
    tellParent(text, kind);
  }

  // An embedding page hears of a failed start too: the same text the frame
  // shows (nothing else of the page), to any origin, as 'sparse-iht:ready'
  // is, since the page never learnt its parent's. A start that only takes
  // long (the timeout) is not a failure and sends nothing.
  function tellParent(text, kind) {
    var parent = window.parent;
    if (!parent || parent === window) return;
    try {
      parent.postMessage({ type: 'sparse-iht:error', phase: 'startup', kind: kind, message: text }, '*');
    } catch (e) {
      // A parent that cannot be posted to: the frame still shows the message.
    }
  }

  // The last segment of a script's URL ('main.js'), or 'the page' for the page itself.
  function fileName(url) {
    return String(url || '').replace(/[?#].*$/, '').replace(/^.*\//, '') || 'the page';
  }

  function errorText(error, fallback) {
    if (error && typeof error === 'object' && error.message) return (error.name ? error.name + ': ' : '') + error.message;
    return String(error === undefined || error === null || error === '' ? fallback : error);
  }

  window.addEventListener(
    'error',
    function (event) {
      var target = event.target;
      if (target && target !== window && target.nodeType === 1) {
        // A resource's error, seen in the capture phase since it does not bubble:
        // only scripts stop the page (a missing icon or stylesheet does not).
        if (target.tagName !== 'SCRIPT') return;
        var src = target.getAttribute('src');
        var text = fileName(src) + ' could not be loaded (or one of the modules it imports).';
        errors.push('script not loaded: ' + src);
        fail(text, location.protocol === 'file:' ? 'local' : 'file');
        return;
      }
      // Chromium and Firefox report a ResizeObserver whose callback resized what it observes
      // as an error event; it is a warning that nothing was lost, not a fault.
      if (/^ResizeObserver loop/.test(event.message || '')) return;
      var where = event.filename ? ' (' + fileName(event.filename) + (event.lineno ? ', line ' + event.lineno : '') + ')' : '';
      var message = errorText(event.error, event.message || 'an unknown error') + where;
      errors.push('error: ' + message);
      fail(message, 'code');
    },
    true
  );

  window.addEventListener('unhandledrejection', function (event) {
    var message = errorText(event.reason, 'a promise was rejected without a reason');
    errors.push('unhandled rejection: ' + message);
    fail(message, 'code');
  });

  document.addEventListener('securitypolicyviolation', function (event) {
    errors.push('Content-Security-Policy violation: ' + event.effectiveDirective + ' blocked ' + (event.blockedURI || 'inline code'));
  });

  window.sparseIhtBoot = {
    /** Every uncaught error, rejection and policy violation so far (strings). */
    errors: errors,
    /** main.js: the page is interactive. A message shown by the timeout (or by an error the page survived) goes. */
    ready: function () {
      ready = true;
      whenParsed(function () {
        var box = document.getElementById('boot-error');
        if (box) box.hidden = true;
      });
    },
    /** main.js: the page cannot start. kind: 'engine' (a missing feature) or 'worker' (the model worker failed). */
    fail: function (text, kind) {
      errors.push('start-up failure: ' + text);
      fail(text, HINTS[kind] ? kind : 'worker');
    },
    /** 'starting', 'ready' or 'failed'. */
    get state() {
      return ready ? 'ready' : failed ? 'failed' : 'starting';
    },
  };

  // An engine without module scripts would never run main.js and fire no error.
  if (!('noModule' in HTMLScriptElement.prototype)) {
    fail('This browser does not run JavaScript modules, which the demo is made of.', 'engine');
  }

  setTimeout(function () {
    if (!ready && !failed) {
      show('The demo has not started yet', 'The model has not loaded after ' + TIMEOUT_MS / 1000 + ' seconds.', 'timeout');
    }
  }, TIMEOUT_MS);

  whenParsed(function () {
    var reload = document.getElementById('boot-reload');
    if (reload) {
      reload.addEventListener('click', function () {
        location.reload();
      });
    }
  });
})();
