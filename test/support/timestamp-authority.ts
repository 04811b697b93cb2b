import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { digestOidFor } from '../../src/signatures/trust/algorithms.js';
import { OID } from '../../src/signatures/formats/cms-oids.js';
import { signCmsEncapsulated, type TimestampImprint } from '../../src/signatures/signing/cms-signer.js';
import type { SigningKey } from '../../src/signatures/trust/signing-key.js';

/**
 * An RFC 3161 timestamp token as a time-stamping authority returns it: a TSTInfo (policy, the
 * imprint it was asked for, a serial, the time) in a CMS SignedData signed by the TSA's key. For
 * tests only; a real deployment asks a licensed TSA.
 */
export async function issueTimestampToken(imprint: TimestampImprint, tsa: SigningKey, genTime: Date): Promise<Uint8Array> {
  const serial = randomBytes(8);
  serial[0] &= 0x7f;
  const tst = new pkijs.TSTInfo({
    version: 1,
    policy: '1.3.6.1.4.1.311.99.1', // an example policy id: tests only
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: digestOidFor(imprint.digest) }),
      hashedMessage: new asn1js.OctetString({ valueHex: imprint.hash }),
    }),
    serialNumber: new asn1js.Integer({ valueHex: serial }),
    genTime,
  });
  return signCmsEncapsulated(new Uint8Array(tst.toSchema().toBER()), OID.tstInfo, tsa);
}
