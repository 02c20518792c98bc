/* The plugin's settings page: brand, OAuth login, vehicle picker, connection test, and the
 * wiring of the prerequisite steps (wizard.js) and the car view (carView.js). `homebridge` is the
 * global from @homebridge/plugin-ui-utils (injected by the Homebridge UI). */
(() => {
  'use strict';
  const { $, show, t, showError, currentConfig, updateConfig, run, on, configGuard } = window.StellantisUi;
  let vehicles = [];
  let guard;

  function describeLogin(login) {
    if (login.blockedBy) return login.blockedBy;
    if (!login.needed) return t('login.fleet');
    if (login.loggedIn) {
      if (!login.savedAt) return t('login.loggedIn', { file: login.tokenFile });
      return t('login.loggedInOn', { when: new Date(login.savedAt).toLocaleString(window.StellantisI18n.lang), file: login.tokenFile });
    }
    if (login.problem) return t('login.notLoggedInBecause', { problem: login.problem });
    return t('login.notYet');
  }

  function renderLogin(login) {
    const status = $('login-status');
    status.textContent = describeLogin(login);
    status.className = `mb-2 ${login.loggedIn ? 'check-ok' : ''}`;
    show($('logout'), Boolean(login.loggedIn));
    $('login-start').textContent = t(login.loggedIn ? 'login.again' : 'login.open');
    $('login-start').disabled = Boolean(login.blockedBy) || login.needed === false;
    window.StellantisWizard.mark('step-login', login.loggedIn || login.needed === false ? 'done' : 'todo');
  }

  async function refresh() {
    const setup = await run('/setup');
    const config = await currentConfig();
    const select = $('brand');
    if (select.options.length <= 1) {
      for (const brand of setup.brands) select.add(new Option(brand.name, brand.id));
    }
    select.value = typeof config.brand === 'string' ? config.brand : '';
    show($('simulator-note'), config.simulator === true);
    renderLogin(setup.login);
    await window.StellantisWizard.refresh(config);
    homebridge.fixScrollHeight();
  }

  async function startLogin() {
    const { url, redirectUri } = await run('/login/start');
    const link = $('login-link');
    link.href = url;
    $('redirect-uri').textContent = redirectUri;
    $('redirect-input').value = '';
    show($('login-steps'), true);
    homebridge.fixScrollHeight();
  }

  async function finishLogin() {
    const pasted = $('redirect-input').value;
    if (pasted.trim() === '') throw new Error(t('login.pasteFirst'));
    const login = await run('/login/finish', { pasted });
    $('redirect-input').value = '';
    show($('login-steps'), false);
    renderLogin(login);
    homebridge.toast.success(t('login.done'), 'Stellantis');
  }

  async function logout() {
    renderLogin(await run('/logout'));
  }

  /** The name first; the long API id last, shortened (it is stored whole). */
  function vehicleLabel(v) {
    const details = [v.motorization && `(${v.motorization})`, v.vin && `VIN ${v.vin}`].filter(Boolean);
    const id = v.id.length > 12 ? `${v.id.slice(0, 8)}…` : v.id;
    return `${v.label || t('vehicles.unnamed')}${details.length ? ` ${details.join(' ')}` : ''} · id ${id}`;
  }

  async function loadVehicles() {
    const result = await run('/vehicles');
    vehicles = result.vehicles;
    const list = $('vehicle-list');
    list.textContent = '';
    if (vehicles.length === 0) {
      $('vehicles-status').textContent = t('vehicles.none');
    } else {
      vehicles.forEach((v, i) => {
        const wrap = document.createElement('div');
        wrap.className = 'form-check';
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.className = 'form-check-input vehicle-choice';
        box.id = `vehicle-${i}`;
        box.value = v.id;
        box.checked = v.configured;
        const label = document.createElement('label');
        label.className = 'form-check-label';
        label.htmlFor = box.id;
        label.textContent = vehicleLabel(v);
        wrap.append(box, label);
        list.append(wrap);
      });
      $('vehicles-status').textContent = t('vehicles.found', { count: vehicles.length });
    }
    show($('vehicles-save'), vehicles.length > 0);
    homebridge.fixScrollHeight();
  }

  /** Writes the ticked vehicles into `vehicles`, keeping the settings of those already configured. */
  async function saveVehicles() {
    const chosen = [...document.querySelectorAll('.vehicle-choice')].filter((b) => b.checked).map((b) => b.value);
    const config = await currentConfig();
    const existing = Array.isArray(config.vehicles) ? config.vehicles : [];
    const next = chosen.map((id) => {
      const kept = existing.find((v) => v && v.id === id);
      if (kept) return kept;
      const v = vehicles.find((x) => x.id === id) ?? { id };
      const entry = { id, name: v.label || t('vehicles.defaultName') };
      // Only a well-formed VIN: the settings validation refuses anything else.
      if (typeof v.vin === 'string' && /^[A-HJ-NPR-Z0-9]{17}$/i.test(v.vin)) entry.vin = v.vin.toUpperCase();
      return entry;
    });
    await updateConfig({ vehicles: next });
    await homebridge.savePluginConfig();
    $('vehicles-status').textContent = t('vehicles.saved', { count: next.length });
    window.StellantisWizard.mark('step-vehicles', next.length > 0 ? 'done' : 'todo');
    homebridge.toast.success(t('vehicles.savedToast', { count: next.length }), 'Stellantis');
  }

  /** A check's title in the page's language by its id; the doctor's own (English) title for an id the page does not know. */
  function checkTitle(check) {
    const key = `check.${check.id}`;
    return window.StellantisI18n.has(key) ? t(key) : check.title;
  }

  function renderDoctor(report) {
    const list = $('doctor-results');
    list.textContent = '';
    for (const check of report.checks) {
      const li = document.createElement('li');
      li.dataset.check = check.id;
      const mark = check.ok === true ? '✔' : check.ok === false ? '✖' : '–';
      li.className = check.ok === true ? 'check-ok' : check.ok === false ? 'check-fail' : 'check-skip';
      li.textContent = `${mark} ${checkTitle(check)}: ${check.detail}`;
      if (check.ok === false && check.fix) {
        const fix = document.createElement('span');
        fix.className = 'fix';
        fix.textContent = t('test.fix', { fix: check.fix });
        li.append(fix);
      }
      list.append(li);
    }
    const summary = $('doctor-summary');
    summary.textContent = t(report.ok ? 'test.ok' : 'test.failed');
    summary.className = `mt-2 mb-0 ${report.ok ? 'check-ok' : 'check-fail'}`;
    window.StellantisWizard.mark('step-test', report.ok ? 'done' : 'todo');
    homebridge.fixScrollHeight();
  }

  async function runDoctor() {
    renderDoctor(await run('/doctor'));
    await window.StellantisCarView.load();
  }

  async function toggleForm() {
    if (guard.shown) await guard.hide();
    else await guard.show();
    $('toggle-form').textContent = t(guard.shown ? 'page.hideForm' : 'page.showForm');
  }

  homebridge.addEventListener('ready', async () => {
    await window.StellantisI18n.init(homebridge);
    guard = configGuard();
    on('toggle-form', toggleForm);
    on('login-start', startLogin);
    on('login-finish', finishLogin);
    on('logout', logout);
    on('vehicles-load', loadVehicles);
    on('vehicles-save', saveVehicles);
    on('doctor-run', runDoctor);
    on('car-refresh', () => window.StellantisCarView.load());
    window.StellantisWizard.init();
    $('brand').addEventListener('change', () => {
      const brand = $('brand').value;
      updateConfig(brand ? { brand } : { brand: undefined }).then(refresh).catch(showError);
    });
    refresh().then(() => window.StellantisCarView.load()).catch(showError);
  });

  window.StellantisApp = { refresh, checkTitle };
})();
