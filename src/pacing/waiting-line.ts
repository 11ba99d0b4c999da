/**
 * Who waits for a send slot in a process, and who goes next. The send pacer (send-pacer.ts) decides
 * when a slot is there; this decides whose it is.
 */

import type { ConversationWindows } from './pacing.domain.js';

/**
 * `notice`: one person's or channel's message that someone is waiting for (booking notices, reminders,
 * triage cards). `bulk`: fan-out (announcements). A process serves its notices before its bulk sends.
 */
export type SendPriority = 'notice' | 'bulk';

/** Waiting order: a turn's replies (only while a fan-out holds slots here), then notices, then bulk. */
export type WaitPriority = 'interactive' | SendPriority;

export interface Waiter {
  conversationId: string;
  priority: WaitPriority;
  enqueuedAt: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** The first reply, else notice, else bulk send, whose conversation may send now; or when one may. */
export function nextToGo(waiters: readonly Waiter[], windows: ConversationWindows, now: number): Waiter | number {
  const reply = waiters.find((w) => w.priority === 'interactive');
  if (reply) return reply;
  let soonest = Infinity;
  for (const priority of ['notice', 'bulk'] as const) {
    for (const w of waiters) {
      if (w.priority !== priority) continue;
      const free = windows.nextFreeAt(w.conversationId, now);
      if (free <= now) return w;
      soonest = Math.min(soonest, free);
    }
  }
  return soonest;
}
