/**
 * The brand's OAuth2 server under /am/oauth2: a small login page (authorization-code flow) and
 * the token endpoint (Basic client auth; authorization_code and refresh_token grants).
 */
import express, { type Request, type Response, type Router } from 'express';
import type { TokenStore } from './tokens';
import { randomHex } from './ids';
import type { SimAccount } from './types';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function q(req: Request, key: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

function field(req: Request, key: string): string | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  const v = body?.[key];
  return typeof v === 'string' ? v : undefined;
}

function oauthError(res: Response, status: number, error: string, description: string): void {
  if (status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="oauth2"');
  res.status(status).json({ error, error_description: description });
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}
label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1.4rem}.err{color:#b00020}.note{color:#555;font-size:.9rem}code{word-break:break-all}</style>
</head><body>${body}</body></html>`;
}

function basicCredentials(req: Request): { id: string; secret: string } | undefined {
  const h = req.headers.authorization;
  if (!h || !/^basic /i.test(h)) return undefined;
  const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
}

export function oauthRouter(account: SimAccount, tokens: TokenStore, log: (line: string) => void): Router {
  const r = express.Router();
  r.use(express.urlencoded({ extended: false }));

  function loginForm(res: Response, params: Record<string, string>, error?: string, status = 200): void {
    const hidden = Object.entries(params)
      .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
      .join('');
    res
      .status(status)
      .type('html')
      .send(
        page(
          'Sign in - Stellantis simulator',
          `<h1>Sign in</h1><p class="note">Simulated ${esc(account.brand)} account (demo credentials are filled in).</p>
${error ? `<p class="err" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="authorize">${hidden}
<label for="username">Email</label><input id="username" name="username" value="${esc(account.username)}" autocomplete="username">
<label for="password">Password</label><input id="password" name="password" type="password" value="${esc(account.password)}" autocomplete="current-password">
<button type="submit">Log in</button></form>`,
        ),
      );
  }

  function authorizeParams(get: (k: string) => string | undefined): { params?: Record<string, string>; error?: string } {
    const params = {
      response_type: get('response_type') ?? '',
      client_id: get('client_id') ?? '',
      redirect_uri: get('redirect_uri') ?? '',
      scope: get('scope') ?? 'openid profile',
      state: get('state') ?? '',
      locale: get('locale') ?? '',
    };
    if (params.response_type !== 'code') return { error: 'response_type must be "code".' };
    if (params.client_id !== account.clientId) return { error: 'Unknown client_id: check the application credentials.' };
    if (params.redirect_uri !== account.redirectUri) return { error: 'redirect_uri does not match the one registered for this application.' };
    return { params };
  }

  r.get('/authorize', (req, res) => {
    const { params, error } = authorizeParams((k) => q(req, k));
    log(`oauth GET /authorize -> ${error ? 400 : 200}`);
    if (!params) {
      res.status(400).type('html').send(page('Authorization error', `<h1>Authorization error</h1><p class="err">${esc(error ?? '')}</p>`));
      return;
    }
    loginForm(res, params);
  });

  r.post('/authorize', (req, res) => {
    const { params, error } = authorizeParams((k) => field(req, k));
    if (!params) {
      log('oauth POST /authorize -> 400');
      res.status(400).type('html').send(page('Authorization error', `<h1>Authorization error</h1><p class="err">${esc(error ?? '')}</p>`));
      return;
    }
    if (field(req, 'username') !== account.username || field(req, 'password') !== account.password) {
      log('oauth POST /authorize -> 401 (wrong username or password)');
      loginForm(res, params, 'Wrong email or password.', 401);
      return;
    }
    const code = tokens.newCode(params.redirect_uri, params.scope);
    const target = new URL(params.redirect_uri);
    target.searchParams.set('code', code);
    if (params.state) target.searchParams.set('state', params.state);
    log('oauth POST /authorize -> 302 (code issued)');
    res.redirect(302, target.toString());
  });

  r.post('/access_token', (req, res) => {
    const creds = basicCredentials(req) ?? { id: field(req, 'client_id') ?? '', secret: field(req, 'client_secret') ?? '' };
    const grant = field(req, 'grant_type');
    const done = (status: number, note = '') => log(`oauth POST /access_token grant=${grant ?? '-'} -> ${status}${note}`);
    if (creds.id !== account.clientId || creds.secret !== account.clientSecret) {
      done(401, ' (client authentication failed)');
      oauthError(res, 401, 'invalid_client', 'Client authentication failed');
      return;
    }
    const realm = q(req, 'realm');
    if (realm !== undefined && realm !== account.realm) {
      done(400, ' (unknown realm)');
      oauthError(res, 400, 'invalid_request', `Realm "${realm}" is not served here`);
      return;
    }
    let issued;
    if (grant === 'authorization_code') {
      const code = field(req, 'code');
      const redirectUri = field(req, 'redirect_uri');
      if (!code || !redirectUri) {
        done(400);
        oauthError(res, 400, 'invalid_request', 'code and redirect_uri are required');
        return;
      }
      const check = tokens.useCode(code, redirectUri);
      if (check !== 'ok') {
        done(400, ` (${check === 'redirect_mismatch' ? 'redirect_uri mismatch' : 'code invalid or used'})`);
        oauthError(res, 400, 'invalid_grant', check === 'redirect_mismatch' ? 'redirect_uri does not match the authorization request' : 'The authorization code is invalid, expired or already used');
        return;
      }
      issued = tokens.issue();
    } else if (grant === 'refresh_token') {
      if (realm === undefined) {
        done(400, ' (realm missing)');
        oauthError(res, 400, 'invalid_request', 'The realm query parameter is required to renew a token');
        return;
      }
      const refresh = field(req, 'refresh_token');
      issued = refresh ? tokens.useRefresh(refresh) : undefined;
      if (!issued) {
        done(400, ' (refresh token invalid)');
        oauthError(res, 400, 'invalid_grant', 'The refresh token is invalid, revoked or already used');
        return;
      }
    } else {
      done(400);
      oauthError(res, 400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
      return;
    }
    done(200);
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      ...issued,
      token_type: 'Bearer',
      scope: 'openid profile remote:door:write remote:preconditioning:write remote:horn:write remote:charging:write remote:lights:write remote:wakeup:write remote:navigation:write',
      id_token: `sim-id-${randomHex(16)}`,
    });
  });

  return r;
}

/** The default redirect target: a page that shows the code to paste into the CLI. */
export function codePage(req: Request, res: Response): void {
  const code = q(req, 'code') ?? '';
  res
    .type('html')
    .send(
      page(
        'Authorization code',
        code
          ? `<h1>Logged in</h1><p>Authorization code (single use, valid 10 minutes):</p><p><code id="code">${esc(code)}</code></p>`
          : '<h1>No code</h1><p>This page receives the redirect after logging in.</p>',
      ),
    );
}
