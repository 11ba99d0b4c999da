import type { GraphRoute, StandInState } from './wire.js';
import { graphError } from './wire.js';

/** An app in the tenant's catalogue, and who it is installed for (personal scope). */
export class StandInTeamsApps {
  /** externalId (the manifest id) → catalogue id. */
  readonly catalogue = new Map<string, string>();
  /** user id → installation id → { catalogue id, chat id }. */
  readonly installations = new Map<string, Map<string, { teamsAppId: string; chatId: string }>>();
  /** When false, installing answers 403 (TeamsAppInstallation permission not granted). */
  permissionGranted = true;

  publish(externalId: string, catalogueId: string): void {
    this.catalogue.set(externalId, catalogueId);
  }
}

/**
 * Proactive installation, as Company Communicator uses it (documented v1.0 shapes):
 * GET /appCatalogs/teamsApps?$filter=externalId eq '{id}', POST /users/{id}/teamwork/installedApps
 * (teamsApp@odata.bind; 409 when already installed), GET /users/{id}/teamwork/installedApps
 * ?$expand=teamsApp&$filter=teamsApp/id eq '{id}', GET /users/{id}/teamwork/installedApps/{id}/chat.
 */
export function teamworkRoutes(graph: StandInState, apps: StandInTeamsApps): GraphRoute[] {
  const filterValue = (filter: string | null, field: string): string | undefined => {
    const match = new RegExp(`^${field.replace('/', '\\/')} eq '((?:[^']|'')*)'$`).exec(filter ?? '');
    return match?.[1]?.replaceAll("''", "'");
  };
  return [
    {
      name: 'appCatalogs.teamsApps',
      method: 'GET',
      path: '/v1.0/appCatalogs/teamsApps',
      handle: (req) => {
        const externalId = filterValue(req.query.get('$filter'), 'externalId');
        if (externalId === undefined) return { status: 400, body: graphError('BadRequest', 'Only $filter=externalId eq \'…\' is supported here.') };
        const id = apps.catalogue.get(externalId);
        return {
          status: 200,
          body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#appCatalogs/teamsApps', value: id ? [{ id, externalId, displayName: 'Development Hub', distributionMethod: 'organization' }] : [] },
        };
      },
    },
    {
      name: 'users.installedApps.add',
      method: 'POST',
      path: '/v1.0/users/{id}/teamwork/installedApps',
      handle: (req) => {
        if (!apps.permissionGranted) return { status: 403, body: graphError('Forbidden', 'Missing role permissions on the request. API requires one of TeamsAppInstallation.ReadWriteSelfForUser.All.') };
        if (!graph.user(req.params.id)) return { status: 404, body: graphError('NotFound', 'User not found.') };
        const raw = (req.body as Record<string, unknown> | undefined)?.['teamsApp@odata.bind'];
        const bind = typeof raw === 'string' ? raw : '';
        const teamsAppId = bind.split('/appCatalogs/teamsApps/')[1];
        if (!teamsAppId || ![...apps.catalogue.values()].includes(teamsAppId)) return { status: 400, body: graphError('BadRequest', 'teamsApp@odata.bind does not name a catalogue app.') };
        const mine = apps.installations.get(req.params.id) ?? new Map();
        if ([...mine.values()].some((i) => i.teamsAppId === teamsAppId)) return { status: 409, body: graphError('Conflict', 'App is already installed.') };
        const n = apps.installations.size + 1;
        mine.set(`inst-${n}-${teamsAppId}`, { teamsAppId, chatId: `19:${req.params.id}_stand-in-bot@unq.gbl.spaces` });
        apps.installations.set(req.params.id, mine);
        return { status: 201 };
      },
    },
    {
      name: 'users.installedApps.list',
      method: 'GET',
      path: '/v1.0/users/{id}/teamwork/installedApps',
      handle: (req) => {
        const teamsAppId = filterValue(req.query.get('$filter'), 'teamsApp/id');
        const mine = [...(apps.installations.get(req.params.id) ?? new Map<string, { teamsAppId: string; chatId: string }>()).entries()];
        const value = mine.filter(([, i]) => teamsAppId === undefined || i.teamsAppId === teamsAppId).map(([id, i]) => ({ id, teamsApp: { id: i.teamsAppId, displayName: 'Development Hub' } }));
        return { status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/teamwork/installedApps', value } };
      },
    },
    {
      name: 'users.installedApps.chat',
      method: 'GET',
      path: '/v1.0/users/{id}/teamwork/installedApps/{installationId}/chat',
      handle: (req) => {
        const installation = apps.installations.get(req.params.id)?.get(req.params.installationId);
        if (!installation) return { status: 404, body: graphError('NotFound', 'Installation not found.') };
        return { status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#chats/$entity', id: installation.chatId, chatType: 'oneOnOne' } };
      },
    },
  ];
}
