import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateDetail, commonNameOf } from '../../../src-main/services/certificate-detail.js';
import { createFarmWorld, type FarmWorld } from './farm-fixtures.js';

let w: FarmWorld;

beforeAll(async () => {
  w = await createFarmWorld(new Date());
});
afterAll(() => w?.cleanup());

/** The test CA dates its certificates from the moment of signing: look a little later. */
const later = () => ({ ...w.ctx, now: () => new Date(Date.now() + 5 * 60_000) });

/** What OpenSSL says about a PEM certificate (the independent reading). */
function openssl(pem: string, ...args: string[]): string {
  const file = join(w.dir, 'leaf.pem');
  writeFileSync(file, pem);
  return execFileSync('openssl', ['x509', '-in', file, '-noout', ...args], { encoding: 'utf8' }).trim();
}

describe('the certificate panel\'s data', () => {
  it('matches OpenSSL: serial, SHA-1 thumbprint, SHA-256 fingerprint, issuer, validity', async () => {
    const d = await certificateDetail(later(), w.record.id);
    expect(d.requestId).toBe(w.record.id);
    expect(`serial=${d.serialNumber}`).toBe(openssl(d.pem, '-serial'));
    expect(openssl(d.pem, '-fingerprint', '-sha1').replace(/^.*=/, '').replace(/:/g, '')).toBe(d.thumbprint);
    expect(openssl(d.pem, '-fingerprint', '-sha256').replace(/^.*=/, '').replace(/:/g, '').toLowerCase()).toBe(d.sha256);
    expect(openssl(d.pem, '-issuer', '-nameopt', 'RFC2253')).toContain(`CN=${d.issuerCommonName}`);
    expect(new Date(openssl(d.pem, '-enddate').replace('notAfter=', '')).toISOString()).toBe(d.notAfter);
    expect(d.daysLeft).toBeGreaterThan(0);
  });

  it('compares the SANs requested with those issued, the subject first', async () => {
    const d = await certificateDetail(later(), w.record.id);
    expect(d.sans).toEqual([
      { name: 'webext.contoso.com', requested: true, issued: true },
      { name: 'meet.contoso.com', requested: true, issued: true },
      { name: 'dialin.contoso.com', requested: true, issued: true },
    ]);
    expect(d.extendedKeyUsage).toEqual(expect.arrayContaining(['serverAuth']));
  });

  it('rebuilds the chain up to the root with each link verified and valid', async () => {
    const d = await certificateDetail(later(), w.record.id);
    expect(d.chain.map((l) => [l.role, l.status])).toEqual([
      ['leaf', 'ok'],
      ['intermediate', 'ok'],
      ['root', 'ok'],
    ]);
    expect(d.chainComplete).toBe(true);
    expect(d.missingIssuer).toBeNull();
  });

  it('says NOT_FOUND for a request without a certificate', async () => {
    await expect(certificateDetail(w.ctx, w.pending.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reads the CN of an escaped distinguished name', () => {
    expect(commonNameOf('CN=Contoso\\, Issuing CA 1, O=Contoso')).toBe('Contoso, Issuing CA 1');
    expect(commonNameOf('O=No CN here')).toBe('O=No CN here');
  });
});
