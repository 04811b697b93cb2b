/** The headers that authenticate a remote-signing callback, and how old it may be. */
export const CALLBACK_TIMESTAMP_HEADER = 'x-motcua-timestamp';
export const CALLBACK_SIGNATURE_HEADER = 'x-motcua-signature';
/** How far a callback's timestamp may be from our clock, either way. */
export const CALLBACK_MAX_AGE_SECONDS = 300;
