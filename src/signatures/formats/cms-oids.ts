/** The CMS (RFC 5652) content types and attributes that signing and verification both name. */
export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  /** RFC 3161 TSTInfo, the content of a timestamp token. */
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  /** id-aa-signatureTimeStampToken: a timestamp over the signature value (unsigned attribute). */
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
} as const;
