import type { JobHandler } from '../jobs/worker.js';
import type { CardActionRoute, Intent, Journey, LinkUnfurlRoute, SearchCommandRoute } from '../shared/bot-contract.js';
import type { ApiRoute, ConversationCards, DownloadRoute, FeatureContext, FeatureFactory, FeatureModule } from './feature-module.js';

/** The app's features put together: what src/app.ts wires into Teams, HTTP and the job worker. */
export interface AssembledFeatures {
  modules: readonly FeatureModule[];
  intents: ReadonlyArray<Intent & { feature: string }>;
  journeys: readonly Journey[];
  actions: readonly CardActionRoute[];
  jobs: Readonly<Record<string, JobHandler>>;
  apiRoutes: readonly ApiRoute[];
  downloads: readonly DownloadRoute[];
  searchCommands: readonly SearchCommandRoute[];
  linkUnfurlers: readonly LinkUnfurlRoute[];
  conversation: ConversationCards;
  loadSampleData(): Promise<void>;
  /** Every module's start-up hook, in registry order. */
  start(): Promise<void>;
}

/** Two features claim the same verb, job kind, route, command or intent: a wiring bug, refused at start. */
export class FeatureConflictError extends Error {
  override name = 'FeatureConflictError';
}

/**
 * Builds every feature from the context, then merges what they contribute. Start-up stops with one
 * sentence naming both owners when two features claim the same card verb, job kind, API route,
 * message-extension command, intent or journey.
 */
export function assembleFeatures(
  features: ReadonlyArray<{ name: string; build: FeatureFactory }>,
  base: Omit<FeatureContext, 'journeys' | 'featureNames'>,
): AssembledFeatures {
  let journeys: readonly Journey[] = [];
  const featureNames = features.map((f) => f.name);
  const ctx: FeatureContext = { ...base, featureNames, journeys: () => journeys };
  const modules = features.map(({ name, build }) => {
    const module = build(ctx);
    if (module.name !== name) throw new FeatureConflictError(`The registry lists a feature "${name}" whose module calls itself "${module.name}".`);
    return module;
  });
  const assembled = mergeFeatures(modules);
  journeys = assembled.journeys;
  return assembled;
}

/** Merges already-built modules: the duplicate checks and the merged contributions. */
export function mergeFeatures(modules: readonly FeatureModule[]): AssembledFeatures {
  claimAll(modules, 'feature name', (m) => [m.name]);
  claimAll(modules, 'card verb', (m) => (m.actions ?? []).map((a) => a.verb));
  claimAll(modules, 'job kind', (m) => Object.keys(m.jobs ?? {}));
  claimAll(modules, 'API route', (m) => (m.apiRoutes ?? []).map((r) => `${r.method} /api/v1/${r.path}`));
  claimAll(modules, 'download', (m) => (m.downloads ?? []).map((d) => `/downloads/${d.path}`));
  claimAll(modules, 'message-extension command', (m) => (m.searchCommands ?? []).map((c) => c.commandId));
  claimAll(modules, 'link-unfurling host', (m) => (m.linkUnfurlers ?? []).flatMap((u) => u.hosts.map((h) => h.toLowerCase())));
  claimAll(modules, 'intent', (m) => (m.intents ?? []).map((i) => i.name));
  claimAll(modules, 'journey', (m) => (m.journeys ?? []).map((j) => j.id));
  claimAll(modules, 'conversation cards provider', (m) => (m.conversation ? ['conversation cards'] : []));
  const conversation = modules.find((m) => m.conversation)?.conversation;
  if (!conversation) throw new FeatureConflictError('No feature provides the conversation cards (welcome, problem, did you mean, not sure): register the home feature.');
  return {
    modules,
    intents: modules.flatMap((m) => (m.intents ?? []).map((i) => Object.assign(Object.create(i) as Intent, { feature: m.name }))),
    journeys: modules.flatMap((m) => m.journeys ?? []),
    actions: modules.flatMap((m) => m.actions ?? []),
    jobs: Object.fromEntries(modules.flatMap((m) => Object.entries(m.jobs ?? {}))),
    apiRoutes: modules.flatMap((m) => m.apiRoutes ?? []),
    downloads: modules.flatMap((m) => m.downloads ?? []),
    searchCommands: modules.flatMap((m) => m.searchCommands ?? []),
    linkUnfurlers: modules.flatMap((m) => m.linkUnfurlers ?? []),
    conversation,
    loadSampleData: async () => {
      for (const m of modules) await m.loadSampleData?.();
    },
    start: async () => {
      for (const m of modules) await m.start?.();
    },
  };
}

function claimAll(modules: readonly FeatureModule[], what: string, keysOf: (m: FeatureModule) => string[]): void {
  const owners = new Map<string, string>();
  for (const module of modules) {
    for (const key of keysOf(module)) {
      const owner = owners.get(key);
      if (owner !== undefined) {
        throw new FeatureConflictError(
          owner === module.name
            ? `The ${what} "${key}" is registered twice by the ${module.name} feature.`
            : `The ${what} "${key}" is claimed by both the ${owner} and the ${module.name} features.`,
        );
      }
      owners.set(key, module.name);
    }
  }
}
