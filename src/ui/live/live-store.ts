// Follow mode's state on the page: the live stream, what the page holds of
// it, and the "since now" mark.

import { create } from 'zustand';

export interface LiveServerMeta {
  instance: string;
  source: string;
  window: number;
  events: number;
  denials: number;
  droppedDenials: number;
  inWindow: number;
  rotations: number;
  bytes: number;
  problem: string | null;
  ended: boolean;
  lastSeq: number;
}

export interface LiveState {
  /** The page was served by `landlock-lens serve --follow`. */
  active: boolean;
  connected: boolean;
  meta: LiveServerMeta | null;
  /** Denials the page holds (the window, or since the mark). */
  held: number;
  /** Denials the page let go (beyond the window, or before the mark). */
  dropped: number;
  /** When the newest event reached the page (ms). */
  lastEventAt: number | null;
  /** "Since now": events up to this sequence number are hidden; its time. */
  mark: { seq: number; at: number } | null;
}

export const useLive = create<LiveState>()(() => ({
  active: false,
  connected: false,
  meta: null,
  held: 0,
  dropped: 0,
  lastEventAt: null,
  mark: null,
}));
