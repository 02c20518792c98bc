/**
 * 4. The API answers with this certificate and these credentials: GET /user (b2c) or the vehicle
 * list (b2b, which has no user). No retries: the doctor makes each call once.
 */
import { createAccountClient, type StellantisClient, type TokenProvider } from '../../engine/clients';
import { explainApiFailure } from '../apiFailure';
import { failed, passed, type CheckDefinition, type DoctorContext } from '../context';

/** The token the login check obtained, used as is: a refused token is a finding, not a reason for another token request. */
class CheckedToken implements TokenProvider {
  constructor(private readonly token: string) {}

  async getAccessToken(): Promise<string> {
    return this.token;
  }

  invalidate(): void {}

  async refresh(): Promise<string> {
    throw new Error('the API refused the access token the login server had just issued');
  }
}

function buildClient(ctx: DoctorContext): StellantisClient {
  const config = ctx.config;
  if (!config) throw new Error('no configuration');
  return createAccountClient(config, {
    tokens: ctx.accessToken !== undefined ? new CheckedToken(ctx.accessToken) : undefined,
    tls: ctx.tls ?? {},
    baseDir: ctx.opts.baseDir,
    logger: ctx.opts.logger,
    retry: { attempts: 1, maxRetryAfterMs: 0 },
    onCall: () => {
      ctx.calls.api++;
    },
  });
}

export const apiCheck: CheckDefinition = {
  id: 'api',
  title: 'Stellantis API reachable',
  needs: ['config', 'certificate', 'token'],
  async run(ctx) {
    const config = ctx.config;
    if (!config) return failed('no configuration', 'fix the configuration first');
    let client: StellantisClient;
    try {
      client = buildClient(ctx);
    } catch (err) {
      const f = explainApiFailure(err, config);
      return failed(f.detail, f.fix);
    }
    ctx.client = client;
    try {
      if (config.flavour === 'b2b') {
        ctx.vehicles = await client.listVehicles();
        return passed(`GET /fleets/${config.fleetId ?? ''}/vehicles answered at ${config.baseUrl}`);
      }
      const user = await client.getUser();
      const who = typeof user.email === 'string' && user.email !== '' ? ` for ${maskEmail(user.email)}` : '';
      return passed(`GET /user answered${who} at ${config.baseUrl}`);
    } catch (err) {
      const f = explainApiFailure(err, config);
      return failed(f.detail, f.fix);
    }
  },
};

/** Enough of the address to recognise the account, not enough to publish it. */
function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return 'this account';
  return `${email[0]}***${email.slice(at)}`;
}
