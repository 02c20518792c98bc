// Mocha `--require` for the matrix legs whose Homebridge is an ES module (2.x).
// The suite runs through tsx's CommonJS hook, which would translate Homebridge's ES modules to
// CommonJS and break their default imports; Node's own loader (this native import, before any spec
// file) loads them correctly. test/helpers/hostModules.ts picks them up from the global below.
import { createRequire } from 'node:module';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const KEY = Symbol.for('homebridge-stellantis.test.homebridgeModules');
const setting = process.env.STELLANTIS_HOST_MODULES?.trim();

if (setting) {
  const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dir = realpathSync(path.resolve(projectRoot, setting));
  const main = createRequire(path.join(dir, 'noop.js')).resolve('homebridge');
  if (!main.startsWith(dir + path.sep)) throw new Error(`homebridge is not installed in ${dir}`);
  const packageDir = main.slice(0, main.lastIndexOf(`${path.sep}homebridge${path.sep}`) + '/homebridge'.length);
  const pkg = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  if (pkg.type === 'module') {
    const lib = path.dirname(main);
    const load = (file) => import(pathToFileURL(path.join(lib, file)).href);
    const [api, accessory, user] = await Promise.all([load('api.js'), load('platformAccessory.js'), load('user.js')]);
    globalThis[KEY] = {
      version: pkg.version,
      HomebridgeAPI: api.HomebridgeAPI,
      PlatformAccessory: accessory.PlatformAccessory,
      User: user.User,
    };
  }
}
