/* What the settings page's scripts share (wizard.js, carView.js, app.js): element helpers, the
 * platform block as edited, server requests with the spinner and errors. `homebridge` is the global
 * from @homebridge/plugin-ui-utils (injected by the Homebridge UI). */
(() => {
  'use strict';
  const PLATFORM = 'Stellantis';
  const $ = (id) => document.getElementById(id);

  function show(el, visible) {
    el.classList.toggle('d-none', !visible);
  }

  /** A new element: `el('span', { className: 'x', textContent: 'y' }, child, ...)`. */
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined) continue;
      if (k === 'dataset') Object.assign(node.dataset, v);
      else if (k in node) node[k] = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) if (c !== undefined && c !== null && c !== false) node.append(c);
    return node;
  }

  /** A Font Awesome icon (the Homebridge UI passes its stylesheets into this frame). */
  function icon(name, extra = '') {
    return el('i', { className: `fa-solid fa-${name} ${extra}`.trim(), 'aria-hidden': 'true' });
  }

  function showError(err) {
    const message = err && typeof err.message === 'string' ? err.message : String(err);
    $('error-text').textContent = message;
    show($('error'), true);
    homebridge.fixScrollHeight();
  }

  function clearError() {
    show($('error'), false);
  }

  /** Every read and change of the platform block goes through one guard (configGuard.js), made at first use. */
  let guard;

  function configGuard() {
    guard ??= window.stellantisConfigGuard.createConfigGuard(homebridge, { platform: PLATFORM, name: PLATFORM });
    return guard;
  }

  /** The platform block as it is now in the UI (edits in the full form included, saved or not). */
  async function currentConfig() {
    return configGuard().current();
  }

  /** Merges `change` into the block (a key set to undefined is removed): the full form never corrupts it. */
  async function updateConfig(change) {
    return configGuard().update((block) => {
      const next = { ...block, ...change };
      for (const [k, v] of Object.entries(change)) if (v === undefined) delete next[k];
      return next;
    });
  }

  /** Runs a server action with the spinner on; errors shown in plain words. */
  async function run(path, extra = {}, opts = {}) {
    if (!opts.quiet) clearError();
    if (!opts.quiet) homebridge.showSpinner();
    try {
      return await homebridge.request(path, { config: await currentConfig(), lang: window.StellantisI18n.lang, ...extra });
    } finally {
      if (!opts.quiet) homebridge.hideSpinner();
    }
  }

  function on(id, action) {
    $(id).addEventListener('click', () => {
      action().catch(showError);
    });
  }

  /** The page's texts in the Homebridge UI's language (i18n.js). */
  const t = (key, vars) => window.StellantisI18n.t(key, vars);

  /** "3 min ago" from an ISO date or epoch ms, against `now` (the server's clock). */
  function age(at, now) {
    const when = typeof at === 'number' ? at : Date.parse(at);
    if (!Number.isFinite(when)) return t('age.unknown');
    const s = Math.max(0, Math.round((now - when) / 1000));
    if (s < 60) return t('age.seconds', { n: s });
    if (s < 3600) return t('age.minutes', { n: Math.round(s / 60) });
    if (s < 86400) return t('age.hours', { n: Math.round(s / 3600) });
    return t('age.days', { n: Math.round(s / 86400) });
  }

  window.StellantisUi = { PLATFORM, $, show, el, icon, t, showError, clearError, currentConfig, updateConfig, configGuard, run, on, age };
})();
