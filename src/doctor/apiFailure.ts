/** Turns a failed API call into a plain-words finding and what to do about it. */
import type { ResolvedAccountConfig } from '../config/validate';
import { ClientConfigError, NetworkError, StellantisApiError, TimeoutError } from '../stellantis/errors';
import { TlsConfigError } from '../stellantis/tls';
import { errorText } from '../util/errorText';

export interface Finding {
  detail: string;
  fix: string;
}

const CLIENT_CERT_CODES = /ALERT|CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA/i;

export function explainApiFailure(err: unknown, config: ResolvedAccountConfig): Finding {
  const detail = errorText(err);
  if (err instanceof StellantisApiError) {
    if (err.status >= 500) return { detail, fix: 'the Stellantis API is having trouble (usually temporary): run the doctor again in a few minutes' };
    if (err.status === 429) return { detail, fix: 'the account hit its API rate limit: wait (see the Retry-After above, or until tomorrow for the daily quota), then run the doctor again' };
    if (err.status === 401) {
      return config.flavour === 'b2b'
        ? { detail, fix: 'check username, password and clientId of the fleet account' }
        : { detail, fix: 'the API refused a freshly refreshed token: check clientId and the brand/realm (x-introspect-realm), then log in again with `stellantis login`' };
    }
    if (err.status === 403) return { detail, fix: `${err.explanation}; the client certificate must be the one issued for clientId ${config.clientId}` };
    if (err.status === 404) return { detail, fix: config.flavour === 'b2b' ? 'check baseUrl and fleetId' : 'check baseUrl (leave it out to use the production API)' };
    return { detail, fix: err.explanation };
  }
  if (err instanceof NetworkError) {
    if (CLIENT_CERT_CODES.test(err.code)) {
      return { detail, fix: 'the API refused the client certificate: use the certificate and key issued for this application (certificate.cert, certificate.key)' };
    }
    if (/CERT|SELF_SIGNED|ISSUER|LEAF/.test(err.code)) return { detail, fix: 'the API server certificate is not trusted: check certificate.ca (or remove it)' };
    return { detail, fix: `check baseUrl (${config.baseUrl}) and that this machine can reach it (network, firewall, proxy)` };
  }
  if (err instanceof TimeoutError) {
    return { detail, fix: `no answer within ${config.requestTimeoutMs} ms: check the network, or raise requestTimeoutMs` };
  }
  if (err instanceof TlsConfigError || err instanceof ClientConfigError) return { detail, fix: `correct ${err.key} in the configuration` };
  return { detail, fix: 'run the doctor again with --debug for more detail; if it persists, report it' };
}
