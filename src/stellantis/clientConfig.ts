/**
 * What the API layer reads of an account: the client's credentials, flavour and endpoints, and the
 * mutual-TLS certificate. The account configuration (config/account.ts) extends it.
 */
import type { Flavour } from './wire';

export interface CertificateConfig {
  /** PEM client certificate file. */
  cert: string;
  /** PEM private key file. */
  key: string;
  passphrase?: string;
  /** PEM CA bundle (Stellantis CA) file. */
  ca?: string;
}

export interface ClientConfig {
  flavour?: Flavour;
  /** Fleet id, B2B only. */
  fleetId?: string;
  baseUrl?: string;
  realm?: string;
  clientId: string;
  clientSecret?: string;
  /** B2B Basic auth. */
  username?: string;
  password?: string;
  certificate?: CertificateConfig;
  /** Request timeout for every API call, in ms. */
  requestTimeoutMs?: number;
  /** Read only to keep the webhook secret out of logs and errors (callback registrations carry it). */
  webhook?: { secret?: string };
}
