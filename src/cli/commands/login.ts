/**
 * `stellantis login`: the OAuth2 authorization-code flow in a terminal. Prints the authorization
 * URL, reads the pasted redirect URL (or bare code) from stdin, exchanges it and stores the tokens.
 */
import { LoginSession, pastedCode, storeLogin } from '../../login';
import type { Command } from '../command';
import { loadConfig, tokenStoreFor } from '../context';
import { CliError, UsageError } from '../errors';
import { readLine } from '../io';
import { withSecrets } from './shared';

export const loginCommand: Command = {
  options: [],
  async run(ctx) {
    if (ctx.params.length > 0) throw new UsageError(`login takes no argument (got '${ctx.params.join(' ')}')`, 'login');
    if (ctx.opts.accessToken !== undefined) throw new UsageError('login does not take --access-token: it gets tokens of its own', 'login');
    const config = withSecrets(await loadConfig(ctx.opts), ctx);
    if (config.flavour === 'b2b') {
      throw new CliError('login is for end-user (b2c) accounts: a fleet (b2b) account signs in with username and password from the configuration');
    }
    if (!config.redirectUri) throw new CliError('redirectUri: missing in the configuration; set the redirect URI registered with your application');
    if (!config.clientSecret) throw new CliError('clientSecret: missing in the configuration; copy it from the Stellantis developer portal');
    if (!config.oauthUrl) throw new CliError('oauthUrl: unknown; set brand (or oauthUrl) in the configuration');

    const session = LoginSession.start({ oauthUrl: config.oauthUrl, clientId: config.clientId, redirectUri: config.redirectUri });
    ctx.out.line('1. Open this address in a browser and log in with your brand account:');
    ctx.out.line('');
    ctx.out.line(`   ${session.url}`);
    ctx.out.line('');
    ctx.out.line('2. The browser is then sent to an address starting with');
    ctx.out.line(`   ${config.redirectUri}`);
    ctx.out.line('   (the page may fail to load: that is expected). Copy that whole address from the address bar,');
    ctx.out.line('   paste it here and press Enter:');
    const pasted = await readLine(ctx.io.stdin);
    if (pasted === undefined || pasted.trim() === '') throw new CliError('nothing was pasted: run `stellantis login` again and paste the address the browser was sent to');
    const code = pastedCode(session, pasted, { acceptBareCode: true });
    ctx.secrets.add(code);
    const store = tokenStoreFor(config, ctx.opts);
    const oauth = { oauthUrl: config.oauthUrl, clientId: config.clientId, clientSecret: config.clientSecret, realm: config.realm, timeoutMs: config.requestTimeoutMs };
    await storeLogin(code, { oauth, redirectUri: config.redirectUri, store });
    ctx.out.line(`Logged in. Tokens stored in ${store.file} (readable by you only).`);
    ctx.out.line('Next: `stellantis vehicles --config <file.json>` lists your vehicles.');
    return 0;
  },
};
