import type { Config } from '../../config.js';
import type { GraphConnection } from '../../graph/graph-client.js';
import { findCatalogApp, installForUser } from '../../graph/teams-apps.js';
import type { Notifier } from '../../shared/bot-contract.js';
import type { Logger } from '../../shared/logger.js';

export type InstallOutcome = { kind: 'installed' } | { kind: 'not_installed'; reason: 'install_not_permitted' | 'not_in_catalogue' | 'install_failed' };

/** Installs the app for someone with no chat with it, when the trust allows it; otherwise says why not. */
export type ProactiveInstaller = (aadObjectId: string) => Promise<InstallOutcome>;

/**
 * Company Communicator's way of reaching people who never opened the app: with the trust's
 * permission (PROACTIVE_INSTALL=on and TEAMS_APP_ID), install it in their personal scope through
 * Graph and remember the chat that creates. The catalogue id is looked up once per process.
 */
export function proactiveInstaller(config: Config, graph: GraphConnection | undefined, notifier: Notifier, logger: Logger): ProactiveInstaller {
  const { enabled, manifestAppId } = config.announcements.proactiveInstall;
  let catalogId: Promise<string | null> | undefined;
  const tenantId = config.bot.mode === 'local' ? undefined : config.bot.tenantId;
  return async (aadObjectId) => {
    if (!enabled || !graph || !manifestAppId) return { kind: 'not_installed', reason: 'install_not_permitted' };
    try {
      catalogId ??= findCatalogApp(graph, manifestAppId);
      const appId = await catalogId.catch((error: unknown) => {
        catalogId = undefined;
        throw error;
      });
      if (!appId) return { kind: 'not_installed', reason: 'not_in_catalogue' };
      const chatId = await installForUser(graph, aadObjectId, appId);
      return (await notifier.adoptPersonalChat(aadObjectId, chatId, tenantId)) ? { kind: 'installed' } : { kind: 'not_installed', reason: 'install_failed' };
    } catch (error) {
      const status = (error as { status?: number | null }).status;
      logger.warn({ err: error, code: status === 403 ? 'install_not_permitted' : 'install_failed' }, 'proactive install failed');
      return { kind: 'not_installed', reason: status === 403 ? 'install_not_permitted' : 'install_failed' };
    }
  };
}
