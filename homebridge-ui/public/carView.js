/* "Your car": what the plugin last stored about each car (server /car reads the storage files;
 * no API call, no car woken). One card per car: state tiles with ages, last remote actions with
 * their steps and causes, monitors, wake-up budget. */
(() => {
  'use strict';
  const { $, el, icon, t, run, age } = window.StellantisUi;

  /** A text the server sends with its id: the page's words for that id, else the server's (English) text. */
  const byId = (prefix, id, english) => (id && window.StellantisI18n.has(`${prefix}.${id}`) ? t(`${prefix}.${id}`) : english);
  const whatOf = (r) => byId('action', r.whatId, r.what);

  const LOCK = { locked: ['lock', 'check-ok'], unlocked: ['lock-open', 'check-todo'], 'partly-unlocked': ['lock-open', 'check-todo'] };
  const RESULT = {
    Success: ['circle-check', 'check-ok'],
    AlreadyDone: ['circle-check', 'check-ok'],
    Failed: ['circle-xmark', 'check-fail'],
    Timeout: ['hourglass-half', 'check-todo'],
    Rejected: ['ban', 'check-fail'],
    Superseded: ['forward', 'check-skip'],
  };

  /** One tile: an icon, a big value, a line under it, and the age of the reading (`name`: its id, tile.<name> its title). */
  function tile(name, iconName, value, sub, at, now, extra) {
    return el('div', { className: 'col' },
      el('div', { className: 'car-tile h-100', dataset: { tile: name } },
        el('div', { className: 'tile-head' }, icon(iconName, 'me-1'), t(`tile.${name}`)),
        el('div', { className: 'tile-value', textContent: value }),
        sub ? el('div', { className: 'tile-sub', textContent: sub }) : undefined,
        extra,
        at ? el('div', { className: 'tile-age' }, icon('clock', 'me-1'), age(at, now)) : undefined));
  }

  function bar(percent, low) {
    const p = Math.max(0, Math.min(100, Number(percent)));
    return el('div', { className: 'progress mt-1', role: 'progressbar', 'aria-valuenow': String(p), 'aria-valuemin': '0', 'aria-valuemax': '100' },
      el('div', { className: `progress-bar ${p <= low ? 'bg-danger' : p <= 40 ? 'bg-warning' : 'bg-success'}`, style: `width: ${p}%` }));
  }

  function stateTiles(s, now) {
    const tiles = [];
    if (s.doors) {
      const [name, cls] = LOCK[s.doors.lock] ?? ['question', 'check-skip'];
      const text = t(LOCK[s.doors.lock] ? `doors.${s.doors.lock}` : 'doors.unknown');
      const open = Array.isArray(s.doors.openDoors) && s.doors.openDoors.length > 0 ? t('doors.open', { doors: s.doors.openDoors.join(', ') }) : t('doors.allClosed');
      const doors = tile('Doors', name, text, open, s.doors.at, now);
      doors.querySelector('.tile-value').classList.add(cls);
      tiles.push(doors);
    }
    if (s.battery && s.battery.level !== undefined) {
      tiles.push(tile('Battery', 'battery-half', `${s.battery.level} %`, s.battery.rangeKm !== undefined ? t('energy.range', { km: s.battery.rangeKm }) : '', s.battery.at, now, bar(s.battery.level, 20)));
    }
    if (s.fuel && s.fuel.level !== undefined) {
      tiles.push(tile('Fuel', 'gas-pump', `${s.fuel.level} %`, s.fuel.rangeKm !== undefined ? t('energy.range', { km: s.fuel.rangeKm }) : '', s.fuel.at, now, bar(s.fuel.level, 15)));
    }
    if (s.charging) {
      const plugged = s.charging.plugged === true ? t('charging.plugged') : s.charging.plugged === false ? t('charging.unplugged') : '';
      const left = s.charging.remainingMinutes ? t('charging.fullIn', { minutes: s.charging.remainingMinutes }) : '';
      tiles.push(tile('Charging', s.charging.status === 'InProgress' ? 'charging-station' : 'plug', s.charging.status ?? t('charging.unknown'), `${plugged}${left}`, s.charging.at, now));
    }
    if (s.preconditioning) {
      const on = s.preconditioning.on === true;
      tiles.push(tile('Climate', on ? 'fan' : 'temperature-half', t(on ? 'climate.on' : 'climate.off'), s.preconditioning.status ?? '', s.preconditioning.at, now));
    }
    if (s.battery12v && s.battery12v.level !== undefined) {
      tiles.push(tile('Battery12V', 'car-battery', `${s.battery12v.level} %`, '', s.battery12v.at, now, bar(s.battery12v.level, 50)));
    }
    if (s.position) {
      const link = el('a', { href: s.position.map, target: '_blank', rel: 'noopener noreferrer', className: 'd-block small', textContent: t('position.map') });
      tiles.push(tile('Position', 'location-dot', `${s.position.lat.toFixed(5)}, ${s.position.lon.toFixed(5)}`, '', s.position.at, now, link));
    }
    if (s.odometer) tiles.push(tile('Odometer', 'gauge', `${s.odometer.km} km`, '', s.odometer.at, now));
    return tiles;
  }

  function remoteItem(r, now) {
    const [name, cls] = RESULT[r.result] ?? ['circle-question', 'check-skip'];
    const stepText = (s) => {
      if (s.pendingText) return `${whatOf(r)}: ${s.pendingText}`;
      return s.phase && window.StellantisI18n.has(`phase.${s.phase}`) ? t(`phase.${s.phase}`, { what: whatOf(r) }) : s.text;
    };
    const steps = el('ol', { className: 'remote-steps' }, ...r.steps.map((s) => el('li', { textContent: `${stepText(s)} (${age(s.at, now)})` })));
    const details = el('details', {}, el('summary', { textContent: t('car.steps', { count: r.steps.length }) }), steps);
    const why = r.why ? el('div', { className: 'remote-why' }, el('strong', { textContent: r.failureCause ? `${r.failureCause}: ` : '' }), r.why, r.whatToDo ? el('div', { className: 'fix', textContent: t('car.whatToDo', { whatToDo: r.whatToDo }) }) : undefined) : undefined;
    return el('li', { className: 'remote-item', dataset: { result: r.result } },
      el('div', {}, el('span', { className: cls }, icon(name, 'me-1')), el('strong', { textContent: whatOf(r) }), ` — ${byId('result', r.result, r.result)} `, el('span', { className: 'hint', textContent: age(r.at, now) })),
      why, details);
  }

  /** This month's wake-ups against the assumed cap, with the caveat that other apps' wake-ups are not seen. */
  function monthLine(m) {
    if (!m) return undefined;
    const text = m.blockedUntil !== undefined
      ? t('car.wakeUpsMonthBlocked', { used: m.used, date: new Date(m.blockedUntil).toLocaleDateString(window.StellantisI18n.lang) })
      : t('car.wakeUpsMonth', { used: m.used, left: m.left, cap: m.assumedCap });
    return el('div', { className: `car-wakeups-month${m.blockedUntil !== undefined ? ' check-fail' : ''}`, dataset: { used: String(m.used), left: String(m.left), cap: String(m.assumedCap) } },
      el('strong', { textContent: text }), el('div', { className: 'hint small', textContent: t('car.wakeUpsCaveat') }));
  }

  function wakeUpBlock(w) {
    const left = Math.max(0, w.max - w.used);
    const pips = el('span', { className: 'wake-pips', 'aria-label': t('car.wakeUpsLeft', { left, max: w.max }) },
      ...Array.from({ length: w.max }, (_, i) => icon('bolt', i < w.used ? 'pip-used' : 'pip-free')));
    return el('div', { className: 'car-wakeups', dataset: { used: String(w.used), max: String(w.max) } },
      el('div', { className: 'tile-head' }, icon('battery-quarter', 'me-1'), t('car.wakeUps')),
      monthLine(w.month),
      pips, el('span', { className: 'ms-2', textContent: t('car.wakeUpsUsed', { used: w.used, max: w.max, minutes: w.windowMinutes }) }),
      w.blocked ? el('div', { className: 'check-fail small', textContent: w.blocked }) : undefined);
  }

  function card(v, now) {
    const tiles = stateTiles(v.state, now);
    const title = v.name ? `${v.name}` : t('car.defaultName');
    const body = el('div', { className: 'card-body' });
    body.append(tiles.length > 0
      ? el('div', { className: 'row row-cols-2 row-cols-md-4 g-2 mb-3' }, ...tiles)
      : el('p', { className: 'hint', textContent: t('car.noState') }));
    if (v.inFlight.length > 0) {
      body.append(el('div', { className: 'mb-2 check-todo' }, icon('spinner', 'me-1'), t('car.inProgress', { what: v.inFlight.map(whatOf).join(', ') })));
    }
    body.append(el('div', { className: 'tile-head' }, icon('clock-rotate-left', 'me-1'), t('car.lastRemotes')));
    body.append(v.remotes.length > 0
      ? el('ul', { className: 'remote-list' }, ...v.remotes.map((r) => remoteItem(r, now)))
      : el('p', { className: 'hint', textContent: t('car.noRemotes') }));
    const monitors = v.monitors.length > 0
      ? v.monitors.map((m) => el('span', { className: 'badge text-bg-secondary me-1', dataset: { monitor: m.key }, title: m.data ?? '' }, icon('bell', 'me-1'), m.key))
      : [el('span', { className: 'hint', textContent: t('car.noMonitors') })];
    body.append(el('div', { className: 'mt-2 car-monitors' }, el('span', { className: 'tile-head me-2' }, icon('satellite-dish', 'me-1'), t('car.monitors')), ...monitors));
    body.append(wakeUpBlock(v.wakeUps));
    return el('div', { className: 'card mb-2 car-card', dataset: { vehicle: v.id } },
      el('div', { className: 'card-header' }, icon('car', 'me-2'), el('strong', { textContent: title }), el('span', { className: 'hint ms-2', textContent: v.id })),
      body);
  }

  async function load() {
    const view = await run('/car', {}, { quiet: true });
    const holder = $('car-cards');
    holder.textContent = '';
    const where = view.callback ? t('car.callback', { id: view.callback.id, target: view.callback.target ?? '?' }) : t('car.noCallback');
    $('car-source').textContent = t('car.source', { when: view.statesWrittenAt ? age(view.statesWrittenAt, view.now) : t('car.never'), where });
    if (view.vehicles.length === 0) holder.append(el('p', { className: 'hint', textContent: t('car.nothingStored') }));
    for (const v of view.vehicles) holder.append(card(v, view.now));
    homebridge.fixScrollHeight();
  }

  window.StellantisCarView = { load };
})();
