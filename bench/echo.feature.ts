import type { FeatureModule } from '../src/features/feature-module.js';

/** What an echo turn starts with; no message a person would send does. */
export const ECHO_MARKER = 'echo ';

/** What the echo intent answers for `${ECHO_MARKER}${rest}`: the rest, so the bench can check each reply. */
export const echoReply = (rest: string): string => rest;

/**
 * The benchmark's baseline turn, registered like any feature module: the message takes the same HTTP
 * path, adapter, turn state, router (every intent scores it) and reply path as a CPD question, but the
 * `echo.echo` intent scores 1.0 for its own marker, wins outright, and its answer costs nothing, so the
 * difference to a CPD turn is the CPD work itself.
 */
export function echoFeature(): FeatureModule {
  return {
    name: 'echo',
    intents: [
      {
        name: 'echo.echo',
        score: (message) => (message.text.startsWith(ECHO_MARKER) ? 1 : 0),
        suggest: () => ({ title: 'Echo', prompt: ECHO_MARKER.trim() }),
        handle: (_turn, message) => Promise.resolve([{ kind: 'text', text: echoReply(message.text.slice(ECHO_MARKER.length)) }]),
      },
    ],
  };
}
