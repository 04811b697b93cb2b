/**
 * How a dossier reached the service: the national portal's KenhThucHien (1 in person, 2 online,
 * 3 by post). Citizens and integrators file ONLINE; a reception officer files what came to the
 * counter (COUNTER) or by post (POSTAL) for the applicant.
 */
export const CHANNELS = ['ONLINE', 'COUNTER', 'POSTAL'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The national portal's code of each channel (KenhThucHien). */
export const CHANNEL_PORTAL_CODE: Record<Channel, number> = { COUNTER: 1, ONLINE: 2, POSTAL: 3 };

export const CHANNEL_LABEL_VI: Record<Channel, string> = {
  ONLINE: 'Trực tuyến',
  COUNTER: 'Trực tiếp tại Bộ phận Một cửa',
  POSTAL: 'Qua dịch vụ bưu chính',
};

/** Short labels, for tables (the register). */
export const CHANNEL_SHORT_VI: Record<Channel, string> = { ONLINE: 'Trực tuyến', COUNTER: 'Trực tiếp', POSTAL: 'Bưu chính' };

/**
 * Where one component of a dossier came from: uploaded by the applicant (or their integrator),
 * scanned at the desk from the paper (by which officer, when), reused from the person's data
 * store (which document), or taken from a state database (filled by integrations).
 */
export const ATTACHMENT_SOURCES = ['UPLOADED', 'SCANNED', 'REUSED', 'STATE_DATA'] as const;
export type AttachmentSource = (typeof ATTACHMENT_SOURCES)[number];

/** A result issued as a signed electronic file, or a paper-only result scanned in. */
export const RESULT_FORMS = ['ELECTRONIC', 'SCANNED'] as const;
export type ResultForm = (typeof RESULT_FORMS)[number];
