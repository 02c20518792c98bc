/** Names Homebridge knows this plugin by; `platform` in config.json must equal PLATFORM_NAME. */
export const PLATFORM_NAME = 'Stellantis';
export const PLUGIN_NAME = 'homebridge-stellantis';

/** Sub-folder of Homebridge's storage path that holds every file this plugin writes. */
export const STORAGE_SUBDIR = 'stellantis';
