import { Role, type AuthUser } from '../common/auth-context.js';
import type { AttachmentSource, Channel } from '../dossier-record/channels.js';

export {
  ATTACHMENT_SOURCES,
  CHANNEL_LABEL_VI,
  CHANNEL_PORTAL_CODE,
  CHANNEL_SHORT_VI,
  CHANNELS,
  RESULT_FORMS,
  type AttachmentSource,
  type Channel,
  type ResultForm,
} from '../dossier-record/channels.js';

/** Content types a desk scan may have (an XML is a file, never a scan of paper). */
export const SCAN_TYPES: readonly string[] = ['application/pdf', 'image/jpeg', 'image/png'];

export type IntakeRefusal =
  | { code: 'CHANNEL_NOT_ALLOWED'; field: 'channel'; message: string }
  | { code: 'SOURCE_NOT_ALLOWED'; field: string; message: string }
  | { code: 'FORBIDDEN'; message: string };

/**
 * The channel of a filing, or why the caller may not file it so. A citizen or an integrator files
 * online (the default); only a reception officer files COUNTER or POSTAL, and must say which.
 */
export function channelFor(user: Pick<AuthUser, 'kind' | 'role'>, asked: Channel | undefined): Channel | IntakeRefusal {
  const officer = user.kind === 'user' && user.role === Role.RECEPTION_OFFICER;
  if (officer) {
    if (asked === 'COUNTER' || asked === 'POSTAL') return asked;
    return { code: 'CHANNEL_NOT_ALLOWED', field: 'channel', message: 'a reception officer files COUNTER or POSTAL (the applicant files ONLINE themselves)' };
  }
  if (user.kind === 'api-key' || user.role === Role.CITIZEN) {
    if (asked === undefined || asked === 'ONLINE') return 'ONLINE';
    return { code: 'CHANNEL_NOT_ALLOWED', field: 'channel', message: `${asked} is filed by a reception officer; citizens and integrators file ONLINE` };
  }
  return { code: 'FORBIDDEN', message: 'Only citizens, integrators and reception officers file dossiers' };
}

/**
 * The provenance of an attachment given as a file: an officer's file is a desk scan unless they
 * say it came from a state database; an applicant's is an upload; an integrator's is an upload or
 * state data. A REUSED one is given by documentId, never claimed.
 */
export function sourceFor(user: Pick<AuthUser, 'kind' | 'role'>, asked: AttachmentSource | undefined, field: string): AttachmentSource | IntakeRefusal {
  const officer = user.kind === 'user' && user.role === Role.RECEPTION_OFFICER;
  const allowed: readonly AttachmentSource[] = officer ? ['SCANNED', 'STATE_DATA'] : user.kind === 'api-key' ? ['UPLOADED', 'STATE_DATA'] : ['UPLOADED'];
  const source = asked ?? allowed[0];
  if (allowed.includes(source)) return source;
  const why = source === 'REUSED' ? 'a reused component is given by documentId' : `one of ${allowed.join(', ')} for this caller`;
  return { code: 'SOURCE_NOT_ALLOWED', field, message: why };
}

/**
 * The key a document type is matched by across procedures: the component's name, lower-cased,
 * with spacing and trailing punctuation normalised. The national catalogue repeats the very same
 * component text across procedures (the identity paper in 9 of the 32 procedures of data/, the
 * proof of residence in 8), which is what once-only reuse looks for.
 */
export function documentTypeKey(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s.;:,]+$/u, '')
    .trim();
}
