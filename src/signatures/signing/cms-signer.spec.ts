import { createTestPki, toPkcs12, type TestPki } from '../../../test/support/pki.js';
import { AppError } from '../../common/errors.js';
import { verifyCmsDetached } from '../formats/cms.js';
import { HttpCrlSource } from '../trust/crl-cache.js';
import { loadPkcs12, signCmsDetached } from './cms-signer.js';

let pki: TestPki;
const now = new Date();
beforeAll(async () => {
  pki = await createTestPki({ now });
});
afterAll(async () => {
  await pki.close();
});

describe('loadPkcs12', () => {
  it('loads key, certificate and chain from a PKCS#12 file, and they sign verifiably', async () => {
    const issued = await pki.issue({ commonName: 'Lê Văn Cường' });
    const loaded = loadPkcs12(toPkcs12(issued, 'mật-khẩu'), 'mật-khẩu');
    expect(Buffer.from(loaded.certificate).equals(Buffer.from(issued.certificate))).toBe(true);
    expect(loaded.chain.map((c) => Buffer.from(c).toString('hex'))).toEqual([Buffer.from(pki.intermediate).toString('hex')]);

    const content = new TextEncoder().encode('Quyết định cấp phép');
    const cms = await signCmsDetached(content, loaded, { signingTime: now });
    const ctx = { trustAnchors: [pki.root], validationTime: now, proofOfExistence: null, crls: new HttpCrlSource({ allowPrivateNetworks: true }) };
    const result = await verifyCmsDetached(cms, content, ctx, { index: 0, format: 'PKCS7' });
    expect([result.indication, result.signer?.name]).toEqual(['TOTAL_PASSED', 'Lê Văn Cường']);
  });

  it('says the password is wrong, rather than failing obscurely', async () => {
    const p12 = toPkcs12(await pki.issue(), 'đúng');
    let error: unknown;
    try {
      loadPkcs12(p12, 'sai');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'PKCS12_WRONG_PASSWORD', message: expect.stringContaining('Wrong password') });
  });

  it('rejects bytes that are not PKCS#12', () => {
    expect(() => loadPkcs12(new TextEncoder().encode('not a p12'), 'x')).toThrow(expect.objectContaining({ code: 'PKCS12_INVALID' }));
  });
});
