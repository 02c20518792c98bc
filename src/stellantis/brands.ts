/**
 * Per-brand OAuth2 settings of the B2C API and the production bases of both flavours
 * (from the API summary in the official documentation).
 */
import type { Flavour } from './wire';

export const BRANDS = ['peugeot', 'citroen', 'ds', 'opel', 'vauxhall'] as const;
export type Brand = (typeof BRANDS)[number];

export interface BrandInfo {
  /** Value of the `x-introspect-realm` header and of `realm` on token renewal. */
  realm: string;
  /** OAuth2 server; `/authorize` and `/access_token` live under it. */
  oauthUrl: string;
  /** Name shown to people (HomeKit manufacturer, logs). */
  manufacturer: string;
}

export const BRAND_INFO: Readonly<Record<Brand, BrandInfo>> = {
  peugeot: { realm: 'clientsB2CPeugeot', oauthUrl: 'https://idpcvs.peugeot.com/am/oauth2', manufacturer: 'Peugeot' },
  citroen: { realm: 'clientsB2CCitroen', oauthUrl: 'https://idpcvs.citroen.com/am/oauth2', manufacturer: 'Citroën' },
  ds: { realm: 'clientsB2CDS', oauthUrl: 'https://idpcvs.driveds.com/am/oauth2', manufacturer: 'DS Automobiles' },
  opel: { realm: 'clientsB2COpel', oauthUrl: 'https://idpcvs.opel.com/am/oauth2', manufacturer: 'Opel' },
  vauxhall: { realm: 'clientsB2CVauxhall', oauthUrl: 'https://idpcvs.vauxhall.co.uk/am/oauth2', manufacturer: 'Vauxhall' },
};

export const DEFAULT_BASE_URLS: Readonly<Record<Flavour, string>> = {
  b2c: 'https://api.groupe-psa.com/connectedcar/v4',
  b2b: 'https://api-cert.groupe-psa.com/connectedcar/v3',
};

export function isBrand(value: unknown): value is Brand {
  return typeof value === 'string' && (BRANDS as readonly string[]).includes(value);
}
