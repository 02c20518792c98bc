/**
 * The host programs the tests run the plugin in (Homebridge, HAP-NodeJS, Node-RED), loaded from one
 * place so CI can run the same suite against another major version of each host.
 *
 * Default: the project's own devDependencies. With `STELLANTIS_HOST_MODULES=<dir>/node_modules`
 * (the CI matrix sets `.ci/matrix/node22/node_modules`: Homebridge 2, Node-RED 5) they come from
 * there instead; a host missing from that folder is an error, never a silent fall-back to ours.
 *
 * Homebridge 1 keeps api.js, platformAccessory.js and user.js beside its main file (lib/) and so
 * does Homebridge 2 (dist/), whose package `exports` hides them: they are loaded by absolute path.
 * Homebridge 2 is an ES module, which tsx's CommonJS hook would mistranslate (default imports come
 * out undefined), so that leg loads it natively before the spec files: mocha
 * `--require .ci/matrix/preload-hosts.mjs` leaves the classes under PRELOADED_HOMEBRIDGE.
 * Types stay the project's Homebridge 1 types: these classes keep their shape in 2.x.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { HomebridgeAPI as HomebridgeAPIClass } from 'homebridge/lib/api';
import type { PlatformAccessory as PlatformAccessoryClass } from 'homebridge/lib/platformAccessory';
import type { User as UserClass } from 'homebridge/lib/user';

export const HOST_MODULES_ENV = 'STELLANTIS_HOST_MODULES';

const projectRoot = path.resolve(__dirname, '..', '..');
/** require() by absolute path (Homebridge's internal files, Node-RED's own dependencies). */
const load = createRequire(__filename);

/** The node_modules folder the hosts come from. */
export function hostModulesDir(): string {
  const fromEnv = process.env[HOST_MODULES_ENV]?.trim();
  if (!fromEnv) return fs.realpathSync(path.join(projectRoot, 'node_modules'));
  const dir = path.resolve(projectRoot, fromEnv);
  if (!fs.existsSync(dir)) {
    throw new Error(`${HOST_MODULES_ENV}=${fromEnv}: no such folder (${dir}); run \`npm ci --prefix ${path.dirname(dir)}\` first or unset it`);
  }
  return fs.realpathSync(dir);
}

/** True when the hosts are not the project's own devDependencies. */
export function usingOtherHosts(): boolean {
  return hostModulesDir() !== fs.realpathSync(path.join(projectRoot, 'node_modules'));
}

/** `require.resolve(request)` as seen from the host modules folder; the package must be inside it. */
export function resolveHost(request: string): string {
  const dir = hostModulesDir();
  const resolved = require.resolve(request, { paths: [dir] });
  if (!resolved.startsWith(dir + path.sep)) {
    throw new Error(`${request} is not installed in ${dir} (resolved to ${resolved}); add it to that folder's package.json`);
  }
  return resolved;
}

function packageDirOf(name: string): string {
  // Not `${name}/package.json`: packages with an `exports` map (Homebridge 2) do not expose it.
  const main = resolveHost(name);
  const marker = `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`;
  const at = main.lastIndexOf(marker);
  if (at < 0) throw new Error(`cannot find the package folder of ${name} from ${main}`);
  return main.slice(0, at + marker.length - 1);
}

/** A host package's version (from its package.json). */
export function hostVersion(name: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageDirOf(name), 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error(`${name} has no version in its package.json`);
  return pkg.version;
}

/** The parts of Homebridge that run a plugin in-process (what Homebridge's own server uses). */
export interface HomebridgeModules {
  version: string;
  HomebridgeAPI: typeof HomebridgeAPIClass;
  PlatformAccessory: typeof PlatformAccessoryClass;
  User: typeof UserClass;
}

/** Where .ci/matrix/preload-hosts.mjs leaves a natively loaded ES-module Homebridge. */
export const PRELOADED_HOMEBRIDGE = Symbol.for('homebridge-stellantis.test.homebridgeModules');

let homebridgeCache: HomebridgeModules | undefined;

function isEsModulePackage(name: string): boolean {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageDirOf(name), 'package.json'), 'utf8')) as { type?: unknown };
  return pkg.type === 'module';
}

function exported<T>(file: string, name: string): T {
  const mod = load(file) as Record<string, unknown>;
  const value = mod[name];
  if (typeof value !== 'function') throw new Error(`${file} does not export ${name}: this Homebridge layout is not supported`);
  return value as T;
}

export function homebridge(): HomebridgeModules {
  if (homebridgeCache) return homebridgeCache;
  const preloaded = (globalThis as Record<symbol, HomebridgeModules | undefined>)[PRELOADED_HOMEBRIDGE];
  if (preloaded) {
    if (preloaded.version !== hostVersion('homebridge')) throw new Error(`preloaded Homebridge ${preloaded.version} is not the one in ${hostModulesDir()}`);
    homebridgeCache = preloaded;
    return preloaded;
  }
  if (isEsModulePackage('homebridge')) {
    throw new Error(
      `Homebridge ${hostVersion('homebridge')} is an ES module: run mocha with --require .ci/matrix/preload-hosts.mjs (and ${HOST_MODULES_ENV} set), as .ci/run does`,
    );
  }
  const libDir = path.dirname(resolveHost('homebridge'));
  homebridgeCache = {
    version: hostVersion('homebridge'),
    HomebridgeAPI: exported(path.join(libDir, 'api.js'), 'HomebridgeAPI'),
    PlatformAccessory: exported(path.join(libDir, 'platformAccessory.js'), 'PlatformAccessory'),
    User: exported(path.join(libDir, 'user.js'), 'User'),
  };
  return homebridgeCache;
}

/** The HAP-NodeJS package Homebridge itself uses (`hap-nodejs` for 1.x, `@homebridge/hap-nodejs` for 2.x). */
export function hapNodeJsName(): string {
  const major = Number(hostVersion('homebridge').split('.')[0]);
  return major >= 2 ? '@homebridge/hap-nodejs' : 'hap-nodejs';
}

/** Node-RED's runtime entry (`node-red/lib/red.js`), for node-red-node-test-helper's `init()`. */
export function nodeRedRuntimePath(): string {
  return resolveHost('node-red');
}

/** Node-RED's command-line entry (`red.js`), to start a real Node-RED as a child process. */
export function nodeRedCommand(): string {
  return path.join(packageDirOf('node-red'), 'red.js');
}

/** A module as Node-RED itself loads it (e.g. the express its httpNode/httpAdmin routers come from). */
export function requireFromNodeRed<T>(request: string): T {
  const resolved = require.resolve(request, { paths: [packageDirOf('node-red')] });
  return load(resolved) as T;
}
