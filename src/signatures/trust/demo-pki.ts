import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeOnce } from '../../common/write-once.js';
import type { AppConfig } from '../../config/app-config.js';
import { DEMO_CA_NAME, demoCaFile, publishedCrlUrl } from './published-crls.js';
import { CertificateAuthority, certificatePem, toPkcs12 } from './certificate-authority.js';

/** The tax code (mã số thuế) on the demo agencies' seal certificates: demo data, not a real one. */
const DEMO_TAX_CODE = '0000000000';

/**
 * The demo's own PKI, so that demo leaders can sign results out of the box: a demo root CA
 * (trusted through `<DATA_DIR>/trust/motcua-demo-ca.pem`), and a PKCS#12 key per demo leader in
 * `<DATA_DIR>/signing-keys` with a CRL this service publishes, and one per demo collecting agency
 * (`agency-<code>.p12`, its seal for e-receipts). Made once; files that exist are kept. Only with SEED_DEMO and the default trust and key folders: real folders never receive
 * demo certificates.
 */
export async function seedDemoPki(
  config: AppConfig,
  now: Date,
  leaders: Array<{ username: string; fullName: string; cccd: string }>,
  say: (line: string) => void,
  agencies: Array<{ code: string; name: string }> = [],
): Promise<void> {
  const caFile = demoCaFile(config);
  // Replicas sharing DATA_DIR seed at once: each file is created once (writeOnce), and every process
  // continues with the CA in place, so the trust anchor and all leader keys come from one CA (before,
  // each process made its own CA and the last to write overwrote the others').
  if (!existsSync(caFile)) {
    const made = await CertificateAuthority.root('motcua Demo CA (chỉ để thử nghiệm / demo only)', { now, organisation: 'motcua demo' });
    await mkdir(path.dirname(caFile), { recursive: true, mode: 0o700 });
    writeOnce(caFile, JSON.stringify(made.export()));
  }
  const ca = CertificateAuthority.restore(JSON.parse(await readFile(caFile, 'utf8')));
  await mkdir(config.signatures.trustDir, { recursive: true });
  const anchor = path.join(config.signatures.trustDir, `${DEMO_CA_NAME}.pem`);
  if (!existsSync(anchor)) writeOnce(anchor, certificatePem(ca.certificate), 0o644);
  await mkdir(config.signing.keysDir, { recursive: true, mode: 0o700 });
  let made = 0;
  for (const leader of leaders) {
    const file = path.join(config.signing.keysDir, `${leader.username}.p12`);
    if (existsSync(file)) continue;
    const key = await ca.issueLeaf({
      now,
      commonName: leader.fullName,
      cccd: leader.cccd,
      notAfter: new Date(now.getTime() + 3 * 365 * 86400_000),
      crlUrl: publishedCrlUrl(config, DEMO_CA_NAME),
    });
    if (writeOnce(file, toPkcs12(key, config.signing.keysPassword))) made++;
  }
  let seals = 0;
  for (const agency of agencies) {
    const file = path.join(config.signing.keysDir, `agency-${agency.code.toLowerCase()}.p12`);
    if (existsSync(file)) continue;
    const key = await ca.issueLeaf({
      now,
      commonName: agency.name,
      taxCode: DEMO_TAX_CODE,
      notAfter: new Date(now.getTime() + 3 * 365 * 86400_000),
      crlUrl: publishedCrlUrl(config, DEMO_CA_NAME),
    });
    if (writeOnce(file, toPkcs12(key, config.signing.keysPassword))) seals++;
  }
  if (made) say(`demo signing keys created for ${made} leader(s) in ${config.signing.keysDir} (demo CA trusted via ${anchor})`);
  if (seals) say(`demo receipt-signing keys created for ${seals} agenc${seals === 1 ? 'y' : 'ies'} (agency-<code>.p12)`);
}
