import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { verifyPdf } from '../src/signatures/formats/pdf.js';
import type { CrlSource, VerificationContext } from '../src/signatures/report.js';
import { CertificateAuthority } from '../src/signatures/trust/certificate-authority.js';
import { signPdf } from '../src/signatures/signing/pdf-signer.js';
import { onePagePdf } from '../src/signatures/testing/sample-pdf.js';

/**
 * `npm run bench:verify`: full verifications of a signed 1 MB PDF per second on one core (one
 * Node thread, sequential): parse, find the signatures and revisions, judge later changes, hash the
 * signed bytes, check each CMS signature, build and check the chain to the trust anchor and look
 * up the CRLs (served from memory, as the cache does after the first fetch). Once with one
 * signature, once with three (incremental updates, three signers). No target is set by the issue;
 * the figures go in docs/BENCHMARKS.md.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SIZE = Number(process.env.BENCH_PDF_BYTES ?? 1024 * 1024);
const say = (line: string) => process.stdout.write(`${line}\n`);

/** A well-formed one-page PDF whose content stream pads it to about `bytes`. */
function pdfOfSize(bytes: number): Buffer {
  const line = 'BT /F1 9 Tf 40 800 Td (Trich luc giay khai sinh - ban sao dien tu) Tj ET\n';
  return onePagePdf(line.repeat(Math.max(1, Math.floor((bytes - 600) / line.length))));
}

const now = new Date();
const crls = new Map<string, Uint8Array>();
const root = await CertificateAuthority.root('Bench Root CA', { now });
const ca = await root.subordinate('Bench CA', { now, crlUrl: 'http://crl.bench.invalid/root.crl' });
crls.set('http://crl.bench.invalid/root.crl', await root.crl([], new Date(now.getTime() - 60_000)));
crls.set('http://crl.bench.invalid/ca.crl', await ca.crl([], new Date(now.getTime() - 60_000)));
const source: CrlSource = {
  fetch: async (url) => {
    const der = crls.get(url);
    if (!der) throw new Error(`no CRL at ${url}`);
    return der;
  },
};
const ctx: VerificationContext = { trustAnchors: [root.certificate], validationTime: now, proofOfExistence: now, crls: source };
const signers = await Promise.all(
  ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường'].map((commonName, i) =>
    ca.issueLeaf({ now, commonName, cccd: `00109000000${i + 1}`, crlUrl: 'http://crl.bench.invalid/ca.crl' }),
  ),
);

const unsigned = pdfOfSize(SIZE);
const one = await signPdf(unsigned, signers[0], { signingTime: now, reason: 'Ký duyệt' });
let three = one;
for (const key of signers.slice(1)) three = await signPdf(three, key, { signingTime: now, reason: 'Ký duyệt' });

async function measure(label: string, pdf: Buffer, expectedSignatures: number): Promise<void> {
  const check = await verifyPdf(pdf, ctx);
  if (check.signatures.length !== expectedSignatures || check.indication !== 'TOTAL_PASSED') {
    throw new Error(
      `${label}: expected ${expectedSignatures} passing signatures, got ${check.signatures.length} (${check.indication}: ${check.signatures.map((s) => s.subIndication).join(', ')})`,
    );
  }
  for (let i = 0; i < 3; i++) await verifyPdf(pdf, ctx); // warm-up
  const times: number[] = [];
  const until = Date.now() + SECONDS * 1000;
  while (Date.now() < until) {
    const t0 = process.hrtime.bigint();
    await verifyPdf(pdf, ctx);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const total = times.reduce((a, b) => a + b, 0);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
  say(
    `| ${label} | ${(pdf.length / 1024 / 1024).toFixed(2)} MB | ${(times.length / (total / 1000)).toFixed(1)} | ${p(0.5)} ms | ${p(0.99)} ms | ${times.length} |`,
  );
}

// What one verification must at least do: hash the signed bytes once per signature.
const hashOnce = () => {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 20; i++) createHash('sha256').update(one).digest();
  return Number(process.hrtime.bigint() - t0) / 1e6 / 20;
};

say(`bench:verify on ${availableParallelism()} cores, Node ${process.version}, one thread, ${SECONDS} s per case`);
say('| PDF | size | verifications/s (one core) | p50 | p99 | runs |');
say('|---|---:|---:|---:|---:|---:|');
await measure('1 signature', one, 1);
await measure('3 signatures', three, 3);
say(`(for scale: SHA-256 of the 1-signature file alone takes ${hashOnce().toFixed(2)} ms)`);
