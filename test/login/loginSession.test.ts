/**
 * The login session every face uses: its pending state lasts 15 minutes, a pasted address must
 * carry it, a bare code only where the face takes one. (The faces' tests run it end to end.)
 */
import { strict as assert } from 'node:assert';
import { LOGIN_TTL_MS, LoginSession, NoLoginInProgressError, PendingLogins, pastedCode } from '../../src/login';

const target = { oauthUrl: 'https://login.example/am/oauth2', clientId: 'cid', redirectUri: 'https://app.example/cb' };

describe('login/loginSession', () => {
  it('starts a login: the authorization page with a fresh state, pending for 15 minutes', () => {
    const session = LoginSession.start(target, 1000);
    const url = new URL(session.url);
    assert.equal(url.origin + url.pathname, 'https://login.example/am/oauth2/authorize');
    assert.equal(url.searchParams.get('state'), session.state);
    assert.equal(session.expiresAt, 1000 + LOGIN_TTL_MS);
    assert.equal(session.isExpired(1000 + LOGIN_TTL_MS), false);
    assert.equal(session.isExpired(1001 + LOGIN_TTL_MS), true);
    assert.notEqual(LoginSession.start(target).state, session.state);
  });

  it('takes the code of an address carrying the state, and a bare code only where allowed', () => {
    const session = LoginSession.start(target);
    const address = `${target.redirectUri}?code=abc&state=${encodeURIComponent(session.state)}`;
    assert.equal(pastedCode(session, address, { acceptBareCode: false }), 'abc');
    assert.throws(() => pastedCode(session, `${target.redirectUri}?code=abc&state=other`, { acceptBareCode: true }), /another login attempt/);
    assert.equal(pastedCode(undefined, 'bare-code', { acceptBareCode: true }), 'bare-code');
    assert.throws(() => pastedCode(session, 'bare-code', { acceptBareCode: false }), /not only the code/);
    assert.throws(() => pastedCode(undefined, address, { acceptBareCode: true }), NoLoginInProgressError);
    const old = LoginSession.start(target, Date.now() - LOGIN_TTL_MS - 1);
    assert.throws(() => pastedCode(old, `${target.redirectUri}?code=abc&state=${encodeURIComponent(old.state)}`, { acceptBareCode: true }), NoLoginInProgressError);
  });

  it('keeps one pending login per key until it ends', () => {
    const pending = new PendingLogins<{ note: string }>();
    const a = pending.start('a', target, { note: 'first' });
    pending.start('b', target, { note: 'second' });
    assert.equal(pending.get('a')?.session, a);
    assert.equal(pending.get('a')?.extra.note, 'first');
    const again = pending.start('a', target, { note: 'again' });
    assert.equal(pending.get('a')?.session, again);
    pending.end('a');
    assert.equal(pending.get('a'), undefined);
    assert.equal(pending.get('b')?.extra.note, 'second');
  });
});
