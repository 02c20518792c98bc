/* The full settings form ("Show all settings") without ever corrupting the platform block.
 *
 * The Homebridge UI's own schema form (homebridge.showSchemaForm) writes its data straight into the
 * block the modal's Save button saves, and the page cannot correct it: it fills in every schema
 * default and, with a nested fieldset in an array, an empty vehicle entry, without telling the page
 * (its first change is never sent); it drops every key it has no field for (`platform`, `_bridge`);
 * and when hidden it tears down field by field, writing what is left (often `{}`) over the block.
 *
 * So the page shows the same schema as a form of its own (homebridge.createForm): the form's data
 * stays apart from the block, and each change reaches the block through `reconcile` only: the
 * form's values, less the defaults it filled in and the entries it invented, plus the keys it does
 * not know. Ending the form changes nothing.
 *
 * Loaded by the settings page as a plain script (`window.stellantisConfigGuard`) and by the tests
 * as a CommonJS module.
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.stellantisConfigGuard = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  function isPlainObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  function deepEqual(a, b) {
    if (a === b) return true;
    if (Array.isArray(a) || Array.isArray(b)) {
      return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
    }
    if (!isPlainObject(a) || !isPlainObject(b)) return false;
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    const other = Object.keys(b).filter((k) => b[k] !== undefined);
    return keys.length === other.length && keys.every((k) => deepEqual(a[k], b[k]));
  }

  /**
   * What the form's value at one schema node means for the config, given the config's value there
   * before (`undefined`: absent). `undefined` back: leave the key out.
   * - a value the form filled in from the schema default where the config had none: left out
   *   (absent and default mean the same to the plugin), except for keys the schema requires;
   * - an object or array entry that only holds such defaults and was not there before: left out
   *   (an "entry" the form invented);
   * - keys the schema does not describe: kept from before (the form never shows them).
   */
  function reconcile(node, before, value, required = false) {
    if (value === undefined) return undefined;
    if (node && isPlainObject(node.properties) && isPlainObject(value)) {
      const previous = isPlainObject(before) ? before : undefined;
      const requiredKeys = Array.isArray(node.required) ? node.required : [];
      const out = {};
      for (const [key, child] of Object.entries(value)) {
        const childNode = node.properties[key];
        if (!childNode) {
          out[key] = child;
          continue;
        }
        const kept = reconcile(childNode, previous?.[key], child, requiredKeys.includes(key));
        if (kept !== undefined) out[key] = kept;
      }
      for (const [key, child] of Object.entries(previous ?? {})) {
        if (!(key in node.properties) && !(key in out)) out[key] = child;
      }
      if (previous === undefined && !required && Object.keys(out).length === 0) return undefined;
      return out;
    }
    if (node && node.type === 'array' && node.items && Array.isArray(value)) {
      const previous = Array.isArray(before) ? before : [];
      const out = [];
      value.forEach((item, i) => {
        const kept = reconcile(node.items, previous[i], item);
        if (kept !== undefined) out.push(kept);
        else if (previous[i] !== undefined) out.push(previous[i]);
      });
      if (!Array.isArray(before) && out.length === 0) return undefined;
      return out;
    }
    if (before === undefined && !required && node && 'default' in node && deepEqual(value, node.default)) return undefined;
    return value;
  }

  /**
   * The one way the page shows, hides and changes the platform block. `homebridge` is the
   * plugin-ui-utils global; `emptyBlock` the block to start from when config.json has none.
   */
  function createConfigGuard(homebridge, emptyBlock) {
    let schemaFile;
    let form;
    let trusted;

    async function blocks() {
      const all = await homebridge.getPluginConfig();
      return Array.isArray(all) ? all : [];
    }

    async function load() {
      if (!schemaFile) schemaFile = await homebridge.getPluginConfigSchema();
      if (!trusted) trusted = (await blocks())[0] ?? { ...emptyBlock };
    }

    async function write(block) {
      trusted = block;
      const rest = (await blocks()).slice(1);
      await homebridge.updatePluginConfig([block, ...rest]);
    }

    /** The block as it will be saved (the form's edits included). */
    async function current() {
      await load();
      return trusted;
    }

    async function show() {
      await load();
      if (form) return;
      form = homebridge.createForm({ schema: schemaFile.schema, layout: schemaFile.layout }, JSON.parse(JSON.stringify(trusted)));
      form.onChange((formData) => {
        const next = reconcile(schemaFile.schema, trusted, formData ?? {}, true);
        if (!deepEqual(next, trusted)) write(next).catch(() => undefined);
      });
    }

    async function hide() {
      if (!form) return;
      form.end();
      form = undefined;
    }

    /** Applies `change(block)` to the block; a shown form is drawn again around the result. */
    async function update(change) {
      await load();
      const wasShown = Boolean(form);
      await hide();
      await write(change({ ...trusted }));
      if (wasShown) await show();
      return trusted;
    }

    return {
      get shown() { return Boolean(form); },
      current,
      show,
      hide,
      update,
    };
  }

  return { reconcile, deepEqual, createConfigGuard };
});
