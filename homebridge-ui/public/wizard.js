/* The prerequisite steps of the settings page: API access (or the simulator), the application's
 * credentials, the client certificate (paths or upload), the public address (with its check). Each
 * step shows ✔ / what is missing and where to type it, from the server's /prerequisites. */
(() => {
  'use strict';
  const { $, show, el, icon, t, run, updateConfig, currentConfig, on, showError } = window.StellantisUi;

  const MARKS = {
    done: ['circle-check', 'check-ok'],
    todo: ['circle-exclamation', 'check-todo'],
    skip: ['circle-minus', 'check-skip'],
    info: ['circle-info', 'check-info'],
  };

  /** The ✔ / ! mark in a step's title, and the state on the section (for the eye and the tests). */
  function mark(sectionId, state) {
    const section = $(sectionId);
    section.dataset.state = state;
    const [name, cls] = MARKS[state];
    const holder = section.querySelector('.step-mark');
    holder.textContent = '';
    holder.className = `step-mark ${cls}`;
    holder.append(icon(name), el('span', { className: 'visually-hidden', textContent: t(`mark.${state}`) }));
  }

  /** A text the server sends with its id (`whereId`, `notNeededId`, `summaryId`): the page's words for that id. */
  const byId = (prefix, id, english) => (id && window.StellantisI18n.has(`${prefix}.${id}`) ? t(`${prefix}.${id}`) : english);

  /**
   * What is missing in a step: the setting, the problem, and where to type it. The problem itself is the
   * core validation's own words (English, as in the CLI and the log); where to type it is the page's.
   */
  function renderMissing(listId, step) {
    const list = $(listId);
    list.textContent = '';
    const notNeeded = byId('notNeeded', step.notNeededId, step.notNeeded);
    const summary = byId('summary', step.summaryId, step.summary);
    if (notNeeded) list.append(el('li', { className: 'check-skip' }, icon('circle-minus'), ` ${notNeeded}.`));
    if (summary) list.append(el('li', { className: 'check-ok' }, icon('check'), ` ${summary}`));
    for (const m of step.missing) {
      list.append(el('li', { className: 'check-fail', dataset: { key: m.key } },
        icon('triangle-exclamation'), ' ', el('code', { textContent: m.key }), `: ${m.message}`,
        el('span', { className: 'fix' }, icon('pen'), ` ${t('missing.typeIt', { where: byId('where', m.whereId, m.where) })}`)));
    }
  }

  function stepState(step) {
    if (step.notNeeded) return 'skip';
    return step.done ? 'done' : 'todo';
  }

  function fill(id, value) {
    const input = $(id);
    if (document.activeElement !== input) input.value = typeof value === 'string' ? value : '';
  }

  /** Draws the steps for the platform block as edited (called by app.js on every refresh). */
  async function refresh(config) {
    const simulator = config.simulator === true;
    $('simulator-mode').checked = simulator;
    show($('real-account-fields'), !simulator);
    show($('certificate-fields'), !simulator);
    show($('public-url-fields'), !simulator);
    if (simulator) $('public-url-results').textContent = '';
    fill('client-id', config.clientId);
    fill('client-secret', config.clientSecret);
    fill('app-redirect-uri', config.redirectUri);
    const cert = config.certificate ?? {};
    fill('cert-path', cert.cert);
    fill('key-path', cert.key);
    fill('ca-path', cert.ca);
    fill('cert-passphrase', cert.passphrase);
    fill('public-url', config.webhook?.publicUrl);

    const { steps } = await run('/prerequisites', {}, { quiet: true });
    mark('step-access', simulator ? 'skip' : 'info');
    $('access-state').textContent = t(simulator ? 'access.stateSimulator' : 'access.stateReal');
    mark('step-account', stepState(steps.brand));
    renderMissing('brand-missing', { missing: steps.brand.missing });
    for (const [id, key] of [['step-application', 'application'], ['step-certificate', 'certificate'], ['step-public-url', 'publicUrl']]) {
      mark(id, stepState(steps[key]));
      renderMissing(`${key}-missing`, steps[key]);
    }
    mark('step-vehicles', Array.isArray(config.vehicles) && config.vehicles.length > 0 ? 'done' : simulator ? 'skip' : 'todo');
    return steps;
  }

  async function changed(change) {
    await updateConfig(change);
    await window.StellantisApp.refresh();
  }

  const text = (id) => ($(id).value.trim() === '' ? undefined : $(id).value.trim());

  async function certificateChange() {
    const config = await currentConfig();
    const next = { ...(config.certificate ?? {}), cert: text('cert-path'), key: text('key-path'), ca: text('ca-path'), passphrase: $('cert-passphrase').value || undefined };
    for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
    await changed({ certificate: Object.keys(next).length > 0 ? next : undefined });
  }

  async function upload(role, input) {
    const file = input.files && input.files[0];
    if (!file) return;
    const pem = await file.text();
    input.value = '';
    const stored = await run('/certificate/upload', { role, pem, fileName: file.name });
    $(`${role}-path`).value = stored.file; // shown even while that field has the focus
    const config = await currentConfig();
    await changed({ certificate: { ...(config.certificate ?? {}), [role]: stored.file } });
    $('upload-status').textContent = t('certificate.stored', { summary: stored.summary, file: stored.file });
    homebridge.toast.success(t('certificate.storedToast', { name: file.name }), 'Stellantis');
  }

  function renderChecks(listId, checks) {
    const list = $(listId);
    list.textContent = '';
    for (const check of checks) {
      const state = check.ok === true ? ['circle-check', 'check-ok'] : check.ok === false ? ['circle-xmark', 'check-fail'] : ['circle-minus', 'check-skip'];
      const li = el('li', { className: state[1], dataset: { check: check.id } }, icon(state[0]), ` ${window.StellantisApp.checkTitle(check)}: ${check.detail}`);
      if (check.ok === false && check.fix) li.append(el('span', { className: 'fix', textContent: t('test.fix', { fix: check.fix }) }));
      list.append(li);
    }
    homebridge.fixScrollHeight();
  }

  async function checkPublicUrl() {
    const report = await run('/public-url/check');
    renderChecks('public-url-results', report.checks);
  }

  async function showAccessDoc() {
    const doc = $('access-doc');
    if (doc.textContent === '') doc.textContent = (await run('/docs/api-access')).text;
    show(doc, doc.classList.contains('d-none'));
    homebridge.fixScrollHeight();
  }

  function onChange(id, action) {
    $(id).addEventListener('change', () => {
      action().catch(showError);
    });
  }

  function init() {
    onChange('simulator-mode', () => changed({ simulator: $('simulator-mode').checked ? true : undefined }));
    onChange('client-id', () => changed({ clientId: text('client-id') }));
    onChange('client-secret', () => changed({ clientSecret: text('client-secret') }));
    onChange('app-redirect-uri', () => changed({ redirectUri: text('app-redirect-uri') }));
    for (const id of ['cert-path', 'key-path', 'ca-path', 'cert-passphrase']) onChange(id, certificateChange);
    for (const role of ['cert', 'key', 'ca']) onChange(`${role}-file`, () => upload(role, $(`${role}-file`)));
    onChange('public-url', async () => {
      const config = await currentConfig();
      const webhook = { ...(config.webhook ?? {}), publicUrl: text('public-url') };
      if (webhook.publicUrl === undefined) delete webhook.publicUrl;
      await changed({ webhook: Object.keys(webhook).length > 0 ? webhook : undefined });
    });
    on('public-url-check', checkPublicUrl);
    on('access-doc-toggle', showAccessDoc);
  }

  window.StellantisWizard = { init, refresh, renderChecks, mark };
})();
