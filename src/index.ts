/** Homebridge entry point: registers the platform, nothing else. */
import type { API } from 'homebridge';
import { StellantisPlatform } from './homebridge/platform';
import { PLATFORM_NAME } from './homebridge/settings';

export default (api: API): void => {
  api.registerPlatform(PLATFORM_NAME, StellantisPlatform);
};
