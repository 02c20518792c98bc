/**
 * 3. A login is stored and its refresh token still works: exactly one token request (a refresh,
 * or the one getting an expired access token renewed). No API quota is used.
 */
import { accountTokenStore, oauthTokenProvider } from '../../engine/clients';
import { LoginExpiredError, NotLoggedInError, OAuthError } from '../../stellantis/errors';
import { cliHint, failed, notApplicable, passed, type CheckDefinition } from '../context';
import { errorText } from '../../util/errorText';

export const tokenCheck: CheckDefinition = {
  id: 'token',
  title: 'Login (access token)',
  needs: ['config'],
  async run(ctx) {
    const config = ctx.config;
    if (!config) return notApplicable('no configuration');
    if (config.flavour === 'b2b') return notApplicable('a fleet (b2b) account signs in with username and password: checked with the API call');
    const store = accountTokenStore(config, ctx.opts.storageDir);
    const login = cliHint(ctx, 'login');
    const stored = await store.load();
    if (!stored) {
      const why = store.problem ?? `no login stored in ${store.file}`;
      return failed(`not logged in: ${why}`, `log in with ${login} (use the storage folder of your Homebridge/Node-RED)`);
    }
    ctx.secrets.add(stored.accessToken);
    ctx.secrets.add(stored.refreshToken);
    const provider = oauthTokenProvider(config, store, { logger: ctx.opts.logger, now: ctx.now });
    try {
      let token = await provider.getAccessToken();
      // Still fresh: refresh anyway, to prove the refresh token works before it is needed.
      if (provider.tokenRequestCount === 0) token = await provider.refresh(token);
      ctx.accessToken = token;
      ctx.secrets.add(token);
    } catch (err) {
      const message = errorText(err);
      if (err instanceof LoginExpiredError) {
        return failed('the stored login was refused by the login server (revoked, expired or used by another installation)', `log in again with ${login}`);
      }
      if (err instanceof NotLoggedInError) return failed(message, `log in with ${login}`);
      if (err instanceof OAuthError && err.status === undefined) {
        return failed(message, `check the network and oauthUrl (${config.oauthUrl ?? 'from the brand'}), then run the doctor again`);
      }
      if (err instanceof OAuthError && (err.oauthError === 'invalid_client' || (err.status === 401 && err.oauthError !== 'invalid_grant'))) {
        return failed(message, 'check clientId and clientSecret (the application credentials from the Stellantis developer portal)');
      }
      return failed(message, `try again in a few minutes; if it persists, log in again with ${login}`);
    } finally {
      ctx.calls.token += provider.tokenRequestCount;
    }
    return passed(`login stored in ${store.file}; the refresh token works (new access token obtained)`);
  },
};
