import type * as pkijs from 'pkijs';

/** Short names for the attribute types Vietnamese CAs put in subjects (RFC 4514 and common use). */
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'GN',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
};

export const OID_COMMON_NAME = '2.5.4.3';
export const OID_SERIAL_NUMBER = '2.5.4.5';
export const OID_UID = '0.9.2342.19200300.100.1.1';
export const OID_EMAIL = '1.2.840.113549.1.9.1';

interface StringValue {
  valueBlock: { value?: unknown; valueHexView?: Uint8Array };
  toBER(): ArrayBuffer;
}

/** The text of an attribute value (UTF8String, PrintableString, BMPString, IA5String, …), or null. */
export function attributeText(value: unknown): string | null {
  const v = (value as StringValue | undefined)?.valueBlock?.value;
  return typeof v === 'string' ? v : null;
}

function escapeValue(text: string): string {
  return text
    .replace(/([,+"\\<>;])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}

/** A name as RFC 4514 writes it: most specific RDN first (CN=…, …, C=VN). */
export function formatName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => {
      const type = SHORT_NAMES[tv.type] ?? tv.type;
      const text = attributeText(tv.value);
      return `${type}=${text !== null ? escapeValue(text) : `#${Buffer.from((tv.value as unknown as StringValue).toBER()).toString('hex')}`}`;
    })
    .reverse()
    .join(', ');
}

/** The texts of every attribute of `type` in the name, in order. */
export function nameValues(name: pkijs.RelativeDistinguishedNames, type: string): string[] {
  return name.typesAndValues
    .filter((tv) => tv.type === type)
    .map((tv) => attributeText(tv.value))
    .filter((t): t is string => t !== null);
}
