'use strict';
/**
 * A PEM file uploaded on the settings page (certificate, private key or CA bundle), checked with the
 * core's TLS checks and stored under `<storagePath>/stellantis/` with mode 0600, so a Homebridge on a
 * Raspberry Pi or in Docker needs no shell access to get its certificate in place.
 */
const path = require('node:path');
const { checkPemText, TlsConfigError } = require('../dist/src/stellantis/tls');
const { writeFileAtomic } = require('../dist/src/util/atomicFile');

const FILE_OF_ROLE = { cert: 'client-certificate.pem', key: 'client-key.pem', ca: 'ca-bundle.pem' };
const MAX_PEM_CHARS = 64 * 1024;

class UploadError extends Error {
  constructor(message, key) {
    super(message);
    this.name = 'UploadError';
    this.key = key;
  }
}

/**
 * @param {string} storageDir `<storagePath>/stellantis`
 * @param {unknown} role 'cert' | 'key' | 'ca'
 * @param {unknown} pem the file's text
 * @param {unknown} fileName the name the user picked (for messages only)
 * @returns {Promise<{ role: string, file: string, summary: string }>}
 */
async function storeUploadedPem(storageDir, role, pem, fileName) {
  if (!Object.prototype.hasOwnProperty.call(FILE_OF_ROLE, role)) throw new UploadError('unknown file kind: choose the certificate, the private key or the CA bundle', 'certificate');
  const key = `certificate.${role}`;
  const shown = typeof fileName === 'string' && fileName !== '' ? path.basename(fileName) : 'the uploaded file';
  if (typeof pem !== 'string' || pem.trim() === '') throw new UploadError(`${key}: ${shown} is empty`, key);
  if (pem.length > MAX_PEM_CHARS) throw new UploadError(`${key}: ${shown} is too large for a PEM file (over 64 KB): pick the .pem/.crt/.key file itself`, key);
  let summary;
  try {
    summary = checkPemText(role, pem, shown);
  } catch (err) {
    if (err instanceof TlsConfigError) throw new UploadError(err.message, err.key);
    throw err;
  }
  const file = path.join(storageDir, FILE_OF_ROLE[role]);
  await writeFileAtomic(file, pem.endsWith('\n') ? pem : `${pem}\n`, 0o600);
  return { role, file, summary };
}

module.exports = { storeUploadedPem, UploadError, FILE_OF_ROLE };
