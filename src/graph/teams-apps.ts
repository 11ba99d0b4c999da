import { z } from 'zod/v4';
import type { GraphConnection } from './graph-client.js';
import { graphRequest, GraphRequestError } from './graph-request.js';

/**
 * Installing the app for a person who has no chat with it yet, the way Company Communicator does:
 * find the app in the tenant's catalogue by its manifest id, install it in the person's personal
 * scope, then read the 1:1 chat that installation created. Needs TeamsAppInstallation.ReadWriteSelfForUser.All
 * (or ReadWriteForUser.All) granted to the app; without it Graph answers 403.
 */

const listSchema = z.object({ value: z.array(z.object({ id: z.string().min(1) }).loose()) });
const chatSchema = z.object({ id: z.string().min(1) });

/** GET /appCatalogs/teamsApps?$filter=externalId eq '{manifest id}': the catalogue id, or null when the app is not published in the tenant. */
export async function findCatalogApp(graph: GraphConnection, manifestAppId: string): Promise<string | null> {
  const escaped = manifestAppId.replaceAll("'", "''");
  const body: unknown = await graphRequest('find the app in the catalogue', () =>
    graph.client.api('/appCatalogs/teamsApps').filter(`externalId eq '${escaped}'`).get() as Promise<unknown>,
  );
  return listSchema.parse(body).value[0]?.id ?? null;
}

/**
 * POST /users/{id}/teamwork/installedApps; 409 (already installed) counts as installed. Then the
 * installation's id (GET …/installedApps?$expand=teamsApp&$filter=teamsApp/id eq '{id}') and its
 * chat (GET …/installedApps/{installation id}/chat). Returns the chat id.
 */
export async function installForUser(graph: GraphConnection, userId: string, catalogAppId: string): Promise<string> {
  const base = `/users/${encodeURIComponent(userId)}/teamwork/installedApps`;
  try {
    await graphRequest('install the app for a user', () =>
      graph.client.api(base).post({ 'teamsApp@odata.bind': `${graph.baseUrl}/appCatalogs/teamsApps/${catalogAppId}` }) as Promise<unknown>,
    );
  } catch (error) {
    if (!(error instanceof GraphRequestError && error.status === 409)) throw error;
  }
  const escaped = catalogAppId.replaceAll("'", "''");
  const installations: unknown = await graphRequest('find the installation', () =>
    graph.client.api(base).expand('teamsApp').filter(`teamsApp/id eq '${escaped}'`).get() as Promise<unknown>,
  );
  const installation = listSchema.parse(installations).value[0];
  if (!installation) throw new GraphRequestError('Microsoft Graph listed no installation right after installing the app', 404, 'NotFound');
  const chat: unknown = await graphRequest('get the installation chat', () =>
    graph.client.api(`${base}/${encodeURIComponent(installation.id)}/chat`).get() as Promise<unknown>,
  );
  return chatSchema.parse(chat).id;
}
