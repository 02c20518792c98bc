/** 2. The mutual-TLS client certificate, its key and the CA are readable and belong together. */
import { X509Certificate } from 'node:crypto';
import { loadClientTls, TlsConfigError } from '../../stellantis/tls';
import { failed, notApplicable, passed, type CheckDefinition } from '../context';
import { errorText } from '../../util/errorText';

const SOON_MS = 30 * 24 * 3600_000;

function fixFor(key: string): string {
  switch (key) {
    case 'certificate.passphrase':
      return 'set certificate.passphrase to the passphrase of the private key';
    case 'certificate.key':
      return 'point certificate.key at the private key generated with this certificate (the PEM file you made the signing request with)';
    case 'certificate.ca':
      return 'point certificate.ca at the Stellantis CA bundle (PEM) from the developer portal, or remove it';
    default:
      return 'point certificate.cert at the PEM client certificate issued by the Stellantis developer portal (a readable file)';
  }
}

export const certificateCheck: CheckDefinition = {
  id: 'certificate',
  title: 'Client certificate',
  needs: ['config'],
  async run(ctx) {
    const config = ctx.config;
    if (!config?.certificate) return notApplicable('no client certificate configured (the simulator needs none)');
    try {
      ctx.tls = loadClientTls(config.certificate, ctx.opts.baseDir, new Date(ctx.now()));
    } catch (err) {
      if (err instanceof TlsConfigError) return failed(err.message, fixFor(err.key));
      return failed(`certificate: ${errorText(err)}`, fixFor('certificate.cert'));
    }
    const leaf = new X509Certificate(ctx.tls.cert);
    const validTo = new Date(leaf.validTo);
    const subject = leaf.subject.split('\n').find((l) => l.startsWith('CN=')) ?? leaf.subject.split('\n')[0];
    const parts = [`${subject}, valid until ${validTo.toISOString().slice(0, 10)}, key matches`];
    if (ctx.tls.ca) parts.push('CA bundle readable');
    if (validTo.getTime() - ctx.now() < SOON_MS) parts.push('expires within 30 days: renew it on the Stellantis developer portal soon');
    return passed(parts.join('; '));
  },
};
