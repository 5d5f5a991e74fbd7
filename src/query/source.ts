// A page opened from `landlock-lens serve` reads its data from the server,
// not from dropped files. What the server says about that source.

import type { DataFile } from '../worker/protocol';

export interface ServerSource {
  kind: 'clickhouse';
  /** What the page and its permalinks name the source by: database and server, never credentials. */
  name: string;
  /** Rises when the data changes (a new ingest): views ask again. */
  version: number;
  /** The files ingested, in ingest order. */
  files: DataFile[];
  /** The store's software and version, for the page's header. */
  server: string;
}

/** The <meta name> the server adds to the page it serves (no script: the page's policy allows none inline). */
export const SERVER_SOURCE_META = 'landlock-lens-source';
/** The <meta name> of a page served by `serve --follow`: its content is the live stream's path. */
export const LIVE_SOURCE_META = 'landlock-lens-live';

/** The query kinds the server answers (every view's). */
export const QUERY_ENDPOINT = 'api/query';
export const SOURCE_ENDPOINT = 'api/source';
