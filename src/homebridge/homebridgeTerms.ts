/**
 * The core's messages name the `stellantis` command for what to do; a Homebridge user has the
 * plugin's settings page instead. Log lines of the platform go through `inHomebridgeTerms`.
 */
const SETTINGS_PAGE = "the plugin's settings page (Homebridge UI: Plugins, Stellantis, Settings)";

const REWRITES: ReadonlyArray<[RegExp, string]> = [
  [/\brun `stellantis login[^`]*`/g, `log in on ${SETTINGS_PAGE}`],
  [/\b(log in(?: again)?) with `stellantis login[^`]*`/g, `$1 on ${SETTINGS_PAGE}`],
  [/`stellantis login[^`]*`/g, `the login of ${SETTINGS_PAGE}`],
  [/\b(?:copy it from|list (?:them|yours) with) `stellantis vehicles[^`]*`/g, `pick it with "Get my vehicles" on ${SETTINGS_PAGE}`],
  [/`stellantis vehicles[^`]*`/g, `"Get my vehicles" on ${SETTINGS_PAGE}`],
];

export function inHomebridgeTerms(message: string): string {
  return REWRITES.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), message);
}
