/** The listener's small parts: secret, client address behind proxies, failure limiter, option checks. */
import { strict as assert } from 'node:assert';
import type { IncomingMessage } from 'node:http';
import { createWebhookRouter, generateWebhookSecret, type WebhookListenerOptions } from '../../src/webhook';
import { AuthFailureLimiter } from '../../src/webhook/authFailureLimiter';
import { clientAddress, compileTrust, type TrustProxy } from '../../src/webhook/clientAddress';
import { secretChecker } from '../../src/webhook/secret';
import { RecordingSink, SECRET } from './support';

describe('webhook parts', () => {
  it('generates url-safe secrets of 32 random bytes', () => {
    const secrets = new Set(Array.from({ length: 50 }, () => generateWebhookSecret()));
    assert.equal(secrets.size, 50);
    for (const s of secrets) {
      assert.match(s, /^[A-Za-z0-9_-]{43,}$/);
      assert.equal(Buffer.from(s, 'base64url').length, 32);
    }
  });

  it('checks a secret exactly, whatever the type or length of what was received', () => {
    const check = secretChecker(SECRET);
    assert.equal(check(SECRET), true);
    for (const wrong of [undefined, '', SECRET.toUpperCase(), `${SECRET} `, SECRET.slice(1), `${SECRET.slice(1)}x`, ['x'], 42]) {
      assert.equal(check(wrong), false, JSON.stringify(wrong));
    }
    // Bytes, not characters: 'é' is two bytes in UTF-8.
    const accented = secretChecker('clé-secrète');
    assert.equal(accented('clé-secrète'), true);
    assert.equal(accented('cle-secrete'), false);
    assert.equal(accented('cle-secrete\u0000\u0000'), false);
  });

  describe('client address', () => {
    const request = (peer: string, xff?: string): IncomingMessage =>
      ({ socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;
    const cases: Array<[TrustProxy | undefined, string, string | undefined, string]> = [
      [undefined, '127.0.0.1', '203.0.113.5', '127.0.0.1'],
      [false, '::ffff:127.0.0.1', '203.0.113.5', '127.0.0.1'],
      [true, '127.0.0.1', '203.0.113.5, 10.0.0.2', '203.0.113.5'],
      ['true', '127.0.0.1', '203.0.113.5, 10.0.0.2', '203.0.113.5'],
      [1, '127.0.0.1', '203.0.113.5, 10.0.0.2', '10.0.0.2'],
      ['2', '127.0.0.1', '203.0.113.5, 10.0.0.2', '203.0.113.5'],
      ['loopback', '127.0.0.1', '203.0.113.5, 10.0.0.2', '10.0.0.2'],
      ['loopback, uniquelocal', '::ffff:127.0.0.1', '203.0.113.5, 10.0.0.2', '203.0.113.5'],
      ['10.0.0.0/8', '127.0.0.1', '203.0.113.5', '127.0.0.1'],
      ['127.0.0.1, 10.0.0.2', '127.0.0.1', '198.51.100.1, 203.0.113.5, 10.0.0.2', '203.0.113.5'],
      ['::1', '::1', '2001:db8::7', '2001:db8::7'],
      [true, '127.0.0.1', undefined, '127.0.0.1'],
    ];
    for (const [trust, peer, xff, expected] of cases) {
      it(`trustProxy ${JSON.stringify(trust)}: peer ${peer}, X-Forwarded-For ${String(xff)} -> ${expected}`, () => {
        assert.equal(clientAddress(request(peer, xff), compileTrust(trust)), expected);
      });
    }

    it('refuses a trustProxy entry it cannot read, naming it', () => {
      assert.throws(() => compileTrust('loopback, my-proxy'), /trustProxy: 'my-proxy' is not an IP address/);
      assert.throws(() => compileTrust('10.0.0.0/33'), /'10\.0\.0\.0\/33'/);
      assert.throws(() => compileTrust(-1), /hop count/);
    });
  });

  describe('failed-authentication limiter', () => {
    it('blocks after max failures within the window, for one window, per address', () => {
      let now = 1_000;
      const limiter = new AuthFailureLimiter({ max: 3, windowMs: 10_000 }, () => now);
      assert.equal(limiter.recordFailure('a'), false);
      now += 4_000;
      assert.equal(limiter.recordFailure('a'), false);
      assert.equal(limiter.blockedFor('a'), 0);
      now += 4_000;
      assert.equal(limiter.recordFailure('a'), true);
      assert.equal(limiter.blockedFor('a'), 10_000);
      assert.equal(limiter.blockedFor('b'), 0);
      now += 9_999;
      assert.equal(limiter.blockedFor('a'), 1);
      now += 1;
      assert.equal(limiter.blockedFor('a'), 0);
      assert.equal(limiter.recordFailure('a'), false, 'a new window starts after the block');
    });

    it('forgets failures older than the window', () => {
      let now = 0;
      const limiter = new AuthFailureLimiter({ max: 2, windowMs: 1_000 }, () => now);
      limiter.recordFailure('a');
      now = 1_000;
      assert.equal(limiter.recordFailure('a'), false);
      assert.equal(limiter.blockedFor('a'), 0);
    });
  });

  describe('options', () => {
    const base: WebhookListenerOptions = { path: '/hook', secret: SECRET, sink: new RecordingSink() };
    const invalid: Array<[Partial<WebhookListenerOptions>, RegExp]> = [
      [{ path: 'hook' }, /webhook path "hook" is not usable/],
      [{ path: '/' }, /webhook path "\/" is not usable/],
      [{ path: '/hooks/:id' }, /is not usable/],
      [{ secret: '' }, /webhook secret is empty: set webhook\.secret/],
      [{ secret: ' spaced secret of some length ' }, /other than visible ASCII/],
      [{ secret: 'clé-secrète-de-test-longue' }, /other than visible ASCII/],
      [{ secretHeader: 'bad header' }, /secretHeader "bad header" is not a valid HTTP header name/],
      [{ bodyLimit: 'lots' }, /bodyLimit "lots" is not a size/],
      [{ bodyLimit: -5 }, /bodyLimit -5 is not a size/],
      [{ trustProxy: 'proxy.local' }, /trustProxy: 'proxy\.local'/],
      [{ authFailureLimit: { max: 0, windowMs: 1000 } }, /authFailureLimit\.max/],
      [{ authFailureLimit: { max: 5, windowMs: 0 } }, /authFailureLimit\.windowMs/],
      [{ sink: {} as never }, /sink must be an object with an accept/],
    ];
    for (const [change, message] of invalid) {
      it(`refuses ${JSON.stringify(change)} with a clear message`, () => {
        assert.throws(() => createWebhookRouter({ ...base, ...change }), message);
      });
    }

    it('accepts a trailing slash and the usual sizes', () => {
      for (const bodyLimit of ['1mb', '512kb', 2048, '10 MB']) createWebhookRouter({ ...base, path: '/a/b/', bodyLimit });
    });
  });
});
