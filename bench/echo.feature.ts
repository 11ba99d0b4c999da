import type { FeatureModule } from '../src/features/feature-module.js';

/**
 * The benchmark's floors, registered like any feature module. Only type imports: Node runs this file
 * as it is (type stripping), as `node --import ./bench/echo.feature.ts dist/index.js`, and it adds
 * itself to the production build's modules through src/features/preloaded-features.ts.
 *
 *  - "echo …" is claimed as an exact command before any intent scores it, so the message floor is the
 *    cheapest chat turn the stack answers: same HTTP path, adapter, turn state and reply path
 *    (a reply POSTed to the connector) as a CPD search, and none of the search.
 *  - The `echo.card` verb is the invoke floor: an Action.Execute answered with a card in the invoke
 *    response, the same path a Book press takes, without the booking.
 */
export const ECHO_MARKER = 'echo ';
export const ECHO_VERB = 'echo.card';

/** What the echo intent answers for `${ECHO_MARKER}${rest}`: the rest, so the bench can check each reply. */
export const echoReply = (rest: string): string => rest;

export function echoFeature(): FeatureModule {
  return {
    name: 'echo',
    intents: [
      {
        name: 'echo.echo',
        claims: (text) => text.startsWith(ECHO_MARKER),
        score: (message) => (message.text.startsWith(ECHO_MARKER) ? 1 : 0),
        suggest: () => ({ title: 'Echo', prompt: ECHO_MARKER.trim() }),
        handle: (_turn, message) => Promise.resolve([{ kind: 'text', text: echoReply(message.text.slice(ECHO_MARKER.length)) }]),
      },
    ],
    actions: [
      {
        verb: ECHO_VERB,
        handle: (_turn, data) =>
          Promise.resolve({
            type: 'AdaptiveCard',
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            version: '1.5',
            body: [{ type: 'TextBlock', text: `echo ${JSON.stringify((data as { n?: unknown } | undefined)?.n ?? null)}` }],
          }),
      },
    ],
  };
}

// Loaded by `node --import`, this module hands itself to the app (the bench process loads it too: harmless).
const key = Symbol.for('development-hub.preloaded-features');
const registry = ((globalThis as Record<symbol, unknown>)[key] ??= []) as Array<{ name: string; build: () => FeatureModule }>;
if (!registry.some((entry) => entry.name === 'echo')) registry.push({ name: 'echo', build: echoFeature });
