// Bounds the parser keeps whatever a log holds (see parse/parser.ts), shared
// with the messages that name them.

/**
 * Landlock records (access and domain) one audit event may keep. A real event
 * holds a few: one or two denials (a rename logs both sides) and the
 * allocation records of the denying domain and the domains it nests in (at
 * most 16 layers). Past this bound the event is closed and its further records
 * are counted as damaged: a log that shares one serial among millions of
 * records (crafted, or a broken writer) would otherwise hold them all in one
 * open event until the file ends.
 */
export const MAX_EVENT_RECORDS = 256;
