/**
 * Editor helpers behind RED.httpAdmin (each guarded by RED.auth.needsPermission):
 * - GET  stellantis/accounts/:id               how the account runs (state, webhook URL)
 * - GET  stellantis/accounts/:id/vehicles      the vehicle picker
 * - POST stellantis/accounts/:id/login/start   the authorization page to open
 * - POST stellantis/accounts/:id/login/finish  the pasted redirect -> tokens stored, account restarted
 * - POST stellantis/accounts/:id/doctor        Test connection: the doctor's checks on the deployed account
 * Answers never carry a token or a secret; errors are `{error}` with what to do.
 *
 * Node-RED runs without adminAuth by default, so these routes assume any web page may call them:
 * the POSTs take JSON only (a cross-site form cannot send it), a pasted redirect must carry the
 * state of the login started here, and the deployed client secret is only ever sent to the deployed
 * login server for the deployed client id (other values must come with their own secret).
 */
import type { Request, Response } from 'express';
import { runDoctor } from '../../../src/doctor';
import { accountTokenStore, finishLogin, PendingLogins } from '../../../src/login';
import { BRAND_INFO, isBrand } from '../../../src/stellantis/brands';
import { baseDirOf, storageDirOf } from './accountSettings';
import { accountRuntimeOf } from './accountLookup';
import type { NodeAPI } from './red';
import { errorText } from '../../../src/util/errorText';

/** What the editor sends for a login (the dialog's current, maybe undeployed, values). */
interface LoginFields {
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  oauthUrl: string;
  realm: string;
}

interface PendingLogin extends LoginFields {
  /** No secret was typed: the deployed one is used (the target was checked to be the deployed one). */
  deployedSecret: boolean;
}

/** The editor shows an unchanged password credential as this placeholder. */
const UNCHANGED_PASSWORD = '__PWRD__';

class RouteError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function field(body: unknown, key: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function loginFields(body: unknown): LoginFields {
  if (field(body, 'flavour') === 'b2b') throw new RouteError(400, 'the fleet (B2B) API needs no login: set Username and Password');
  const clientId = field(body, 'clientId');
  if (!clientId) throw new RouteError(400, 'Client id is empty: copy it from the Stellantis developer portal first');
  const redirectUri = field(body, 'redirectUri');
  if (!redirectUri) throw new RouteError(400, 'Redirect URI is empty: set the redirect URI registered with your application first');
  const brand = field(body, 'brand');
  const fromBrand = isBrand(brand) ? BRAND_INFO[brand] : undefined;
  const oauthUrl = field(body, 'oauthUrl') ?? fromBrand?.oauthUrl;
  const realm = field(body, 'realm') ?? fromBrand?.realm;
  if (!oauthUrl || !realm) throw new RouteError(400, 'choose the Brand (or set Login server and Realm) first');
  const secret = typedSecret(body);
  return { clientId, redirectUri, oauthUrl, realm, ...(secret ? { clientSecret: secret } : {}) };
}

/** The same login server, however its URL is spelt (case of the host, trailing slash). */
function sameServer(a: string, b: string | undefined): boolean {
  if (b === undefined) return false;
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.origin === y.origin && x.pathname.replace(/\/+$/, '') === y.pathname.replace(/\/+$/, '');
  } catch {
    return false;
  }
}

function typedSecret(body: unknown): string | undefined {
  const secret = field(body, 'clientSecret');
  return secret && secret !== UNCHANGED_PASSWORD ? secret : undefined;
}

function requireJson(req: Request): void {
  if (!req.is('application/json')) throw new RouteError(415, 'send the login as JSON (Content-Type: application/json), as the editor does');
}

function send(res: Response, work: () => Promise<unknown>): void {
  work().then(
    (body) => res.json(body),
    (err: unknown) => {
      const status = err instanceof RouteError ? err.status : 400;
      res.status(status).json({ error: errorText(err) });
    },
  );
}

export function registerAdminRoutes(RED: NodeAPI): void {
  const pending = new PendingLogins<PendingLogin>();
  const read = RED.auth.needsPermission('stellantis.read');
  const write = RED.auth.needsPermission('stellantis.write');

  /** The deployed client secret, when `fields` name the deployed login server and client id; else a clear refusal. */
  function deployedSecretFor(id: string, fields: Pick<LoginFields, 'oauthUrl' | 'clientId'>): string {
    const deployed = RED.nodes.getCredentials?.(id)?.clientSecret;
    if (typeof deployed !== 'string' || deployed === '') throw new RouteError(400, 'Client secret is empty: type it in the account node first');
    const settings = accountRuntimeOf(RED, id)?.deployedSettings;
    const brand = settings?.brand?.trim();
    const deployedUrl = settings?.oauthUrl?.trim() || (isBrand(brand) ? BRAND_INFO[brand].oauthUrl : undefined);
    if (!settings || settings.clientId?.trim() !== fields.clientId || !sameServer(fields.oauthUrl, deployedUrl)) {
      throw new RouteError(400, 'the Login server or Client id differs from the deployed ones: type the client secret that goes with them (or deploy first)');
    }
    return deployed;
  }

  RED.httpAdmin.get('/stellantis/accounts/:id', read, (req: Request, res: Response) => {
    send(res, async () => {
      const account = accountRuntimeOf(RED, req.params.id);
      if (!account) return { deployed: false };
      return { deployed: true, state: account.state.state, text: account.state.text, webhookUrl: account.webhookUrl };
    });
  });

  RED.httpAdmin.get('/stellantis/accounts/:id/vehicles', read, (req: Request, res: Response) => {
    send(res, async () => {
      const account = accountRuntimeOf(RED, req.params.id);
      if (!account) throw new RouteError(409, 'this account is not deployed yet: deploy it (and log in), then open the picker again');
      return { vehicles: await account.listVehicles(), state: account.state.state };
    });
  });

  // A POST (JSON only, like the logins): it calls the API and the public webhook address (no remote, no wake-up).
  RED.httpAdmin.post('/stellantis/accounts/:id/doctor', write, (req: Request, res: Response) => {
    send(res, async () => {
      requireJson(req);
      const account = accountRuntimeOf(RED, String(req.params.id));
      if (!account) throw new RouteError(409, 'this account is not deployed yet: deploy it, then press Test connection again');
      const config = account.doctorConfig;
      if (!config) throw new RouteError(409, `the account has not read its settings yet (${account.state.text}): wait a moment and test again`);
      return runDoctor(config, { storageDir: account.storageDir, baseDir: baseDirOf(RED.settings) });
    });
  });

  /** Each car's monitors and what they cover (issue 14), as the account runs them. */
  RED.httpAdmin.get('/stellantis/accounts/:id/monitors', read, (req: Request, res: Response) => {
    send(res, async () => {
      const account = accountRuntimeOf(RED, req.params.id);
      if (!account) throw new RouteError(409, 'this account is not deployed yet: deploy it, then look again');
      return { vehicles: account.monitors() };
    });
  });

  RED.httpAdmin.post('/stellantis/accounts/:id/login/start', write, (req: Request, res: Response) => {
    send(res, async () => {
      requireJson(req);
      const id = String(req.params.id);
      const fields = loginFields(req.body);
      // Checked now, so that a login that could not finish is never started.
      if (!fields.clientSecret) deployedSecretFor(id, fields);
      const { url } = pending.start(id, { oauthUrl: fields.oauthUrl, clientId: fields.clientId, redirectUri: fields.redirectUri }, { ...fields, deployedSecret: !fields.clientSecret });
      return { url };
    });
  });

  RED.httpAdmin.post('/stellantis/accounts/:id/login/finish', write, (req: Request, res: Response) => {
    send(res, async () => {
      requireJson(req);
      const id = String(req.params.id);
      const started = pending.get(id);
      if (!started) throw new RouteError(409, 'no login in progress for this account (or it is older than 15 minutes): press "Open the login page" again');
      const redirect = field(req.body, 'redirect');
      if (!redirect) throw new RouteError(400, 'nothing pasted: paste the whole address the browser was sent to after the login');
      const login = started.extra;
      const clientSecret = typedSecret(req.body) ?? login.clientSecret ?? (login.deployedSecret ? deployedSecretFor(id, login) : undefined);
      if (!clientSecret) throw new RouteError(400, 'Client secret is empty: type it in the account node first');
      await finishLogin(
        started.session,
        redirect,
        {
          oauth: { oauthUrl: login.oauthUrl, clientId: login.clientId, clientSecret, realm: login.realm },
          redirectUri: login.redirectUri,
          store: accountTokenStore({ flavour: 'b2c', clientId: login.clientId, realm: login.realm }, storageDirOf(RED.settings, id)),
        },
        { acceptBareCode: false },
      );
      pending.end(id);
      const account = accountRuntimeOf(RED, id);
      if (account) {
        void account.restart();
        return { ok: true, message: 'logged in: tokens stored, the account is starting' };
      }
      return { ok: true, message: 'logged in: tokens stored; deploy to start the account' };
    });
  });
}
