/**
 * The hosts the suite runs in come from the folder STELLANTIS_HOST_MODULES names (the CI matrix:
 * Homebridge 2 and Node-RED 5 on Node 22), or the project's own devDependencies without it. The
 * title names the versions so a CI log shows which leg ran.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import helper from 'node-red-node-test-helper';
import { HOST_MODULES_ENV, hapNodeJsName, homebridge, hostModulesDir, hostVersion, nodeRedCommand, nodeRedRuntimePath, requireFromNodeRed, resolveHost, usingOtherHosts } from './hostModules';

const homebridgeVersion = hostVersion('homebridge');
const nodeRedVersion = hostVersion('node-red');

describe(`host modules: Node ${process.version}, Homebridge ${homebridgeVersion}, Node-RED ${nodeRedVersion}`, () => {
  it('takes every host from one folder, never mixing in the project\'s copy', () => {
    const dir = hostModulesDir();
    for (const file of [resolveHost('homebridge'), resolveHost(hapNodeJsName()), nodeRedRuntimePath(), nodeRedCommand()]) {
      assert.ok(file.startsWith(dir + path.sep), `${file} is under ${dir}`);
    }
    assert.equal(usingOtherHosts(), Boolean(process.env[HOST_MODULES_ENV]?.trim()));
    if (usingOtherHosts()) {
      assert.ok(Number(homebridgeVersion.split('.')[0]) >= 2, `the matrix leg runs Homebridge 2 (got ${homebridgeVersion})`);
      assert.ok(Number(nodeRedVersion.split('.')[0]) >= 5, `the matrix leg runs Node-RED 5 (got ${nodeRedVersion})`);
    }
  });

  it('refuses a host that is not in the chosen folder instead of falling back to the project\'s', () => {
    const saved = process.env[HOST_MODULES_ENV];
    process.env[HOST_MODULES_ENV] = '.ci/matrix'; // a folder without node-red: resolution would climb to ours
    try {
      assert.throws(() => resolveHost('node-red'), /node-red is not installed in .*\.ci[/\\]matrix/);
    } finally {
      if (saved === undefined) delete process.env[HOST_MODULES_ENV];
      else process.env[HOST_MODULES_ENV] = saved;
    }
    process.env[HOST_MODULES_ENV] = 'no/such/folder';
    try {
      assert.throws(() => hostModulesDir(), /STELLANTIS_HOST_MODULES=no\/such\/folder: no such folder/);
    } finally {
      if (saved === undefined) delete process.env[HOST_MODULES_ENV];
      else process.env[HOST_MODULES_ENV] = saved;
    }
  });

  it('builds Homebridge\'s API and accessories as a plugin meets them, with the HAP services the plugin uses', () => {
    const { HomebridgeAPI, PlatformAccessory, version } = homebridge();
    assert.equal(version, homebridgeVersion);
    const api = new HomebridgeAPI();
    assert.equal(api.serverVersion, homebridgeVersion, 'the API is the chosen Homebridge');
    const { Service, Characteristic, uuid } = api.hap;
    const accessory = new PlatformAccessory('Car', uuid.generate('host-modules-test'));
    accessory.addService(Service.Battery, 'Battery', 'battery').getCharacteristic(Characteristic.BatteryLevel).updateValue(55);
    accessory.addService(Service.LockMechanism, 'Doors', 'doors');
    api.registerPlatformAccessories('homebridge-stellantis', 'Stellantis', [accessory]);
    const restored = PlatformAccessory.deserialize(PlatformAccessory.serialize(accessory));
    assert.equal(restored.getServiceById(Service.Battery, 'battery')?.getCharacteristic(Characteristic.BatteryLevel).value, 55);
    assert.ok(restored.getServiceById(Service.LockMechanism, 'doors'));
  });

  it('starts the chosen Node-RED runtime through node-red-node-test-helper', async () => {
    helper.init(nodeRedRuntimePath());
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nr-host-'));
    helper.settings({ userDir });
    await helper.startServer();
    try {
      const red = (helper as unknown as { _RED: { version(): string } })._RED;
      assert.ok(red.version().startsWith(nodeRedVersion), `runtime ${red.version()} is Node-RED ${nodeRedVersion}`);
      await helper.load([], [{ id: 'f1', type: 'tab' }, { id: 'c1', z: 'f1', type: 'complete', scope: null }]);
      assert.equal(helper.getNode('c1')?.['type'], 'complete');
      await helper.unload();
      const express = requireFromNodeRed<{ Router: unknown }>('express');
      assert.equal(typeof express.Router, 'function');
    } finally {
      await helper.stopServer();
      fs.rmSync(userDir, { recursive: true, force: true });
    }
  });
});
