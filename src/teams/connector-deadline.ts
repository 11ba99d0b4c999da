/**
 * A request policy for botbuilder's connector client that bounds every outbound call (reply,
 * update, proactive send) in time, its own retries included. The client's pipeline retries a
 * connection failure three times with growing delays, so an unreachable serviceUrl held a turn
 * (and Teams' HTTP request) for 9–11 s; with this the call fails within `timeoutMs` instead.
 *
 * It is a pre-retry policy: the abort signal it sets is shared by every attempt, so the whole call,
 * not each attempt, ends by the deadline.
 */
import type { ConnectorClientOptions } from 'botframework-connector';

type RequestPolicyFactory = Extract<NonNullable<ConnectorClientOptions['requestPolicyFactories']>, unknown[]>[number];

export function connectorDeadlinePolicy(timeoutMs: number): RequestPolicyFactory {
  return {
    create: (next) => ({
      sendRequest: (request) => {
        const deadline = AbortSignal.timeout(timeoutMs);
        request.timeout = timeoutMs;
        const caller = request.abortSignal as AbortSignal | undefined;
        request.abortSignal = caller ? AbortSignal.any([caller, deadline]) : deadline;
        return next.sendRequest(request);
      },
    }),
  };
}

/** True for a connector call that failed on the network (refused, unreachable, timed out, aborted), not with an HTTP answer. */
export function isConnectorUnreachable(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown; statusCode?: unknown };
  if (typeof e?.statusCode === 'number') return false;
  return e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.code === 'REQUEST_SEND_ERROR' || (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code));
}
