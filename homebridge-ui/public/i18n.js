/* The settings page's texts in the Homebridge UI's language (homebridge.i18nCurrentLang(): 'fr', 'de',
 * 'pt-BR'…), from one table per language (i18n/<lang>.js, English the source and the fallback).
 * index.html holds keys only: data-i18n (text), data-i18n-placeholder, data-i18n-aria-label. */
(() => {
  'use strict';
  const tables = window.StellantisLocales ?? {};
  let lang = 'en';

  /** 'fr-FR' → 'fr'; a language without a table → 'en'. */
  function pick(code) {
    const base = String(code ?? '').toLowerCase().split(/[-_]/)[0];
    return Object.prototype.hasOwnProperty.call(tables, base) ? base : 'en';
  }

  /** The text of `key` with its {name} placeholders filled; the English text when the language lacks it. */
  function t(key, vars = {}) {
    const text = tables[lang]?.[key] ?? tables.en?.[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
  }

  const has = (key) => Object.prototype.hasOwnProperty.call(tables.en ?? {}, key);

  /** Fills every data-i18n* element under `root`. */
  function apply(root = document) {
    for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    for (const node of root.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
    for (const node of root.querySelectorAll('[data-i18n-aria-label]')) node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
    document.documentElement.lang = lang;
  }

  /** Follows the Homebridge UI's language (English when it cannot tell). */
  async function init(homebridge) {
    try {
      lang = pick(await homebridge.i18nCurrentLang());
    } catch {
      lang = 'en';
    }
    apply();
    return lang;
  }

  window.StellantisI18n = { t, has, apply, init, pick, get lang() { return lang; } };
})();
