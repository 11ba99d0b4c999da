import type { GraphRoute, Json, StandInResponse, StandInState } from './wire.js';
import { graphError } from './wire.js';

/**
 * Users and their memberships: GET /users/{id}, GET /users/{id}/transitiveMemberOf and
 * GET /groups/{id}/transitiveMembers (documented v1.0 shapes).
 */
export function directoryRoutes(graph: StandInState): GraphRoute[] {
  const notFound = (id: string): StandInResponse => ({
    status: 404,
    body: graphError('Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`),
  });
  return [
    {
      name: 'users.get',
      method: 'GET',
      path: '/v1.0/users/{id}',
      handle: (req) => {
        const user = graph.user(req.params.id);
        if (!user) return notFound(req.params.id);
        const full: Record<string, unknown> = { id: user.id, displayName: user.displayName, mail: user.mail ?? null, userPrincipalName: user.userPrincipalName ?? `${user.id}@stand-in.example` };
        const select = req.query.get('$select')?.split(',').filter(Boolean);
        const fields = select ?? ['id', 'displayName', 'mail', 'userPrincipalName'];
        const context = `https://graph.microsoft.com/v1.0/$metadata#users${select ? `(${select.join(',')})` : ''}/$entity`;
        return { status: 200, body: { '@odata.context': context, ...Object.fromEntries(fields.map((f) => [f, full[f] ?? null])) } };
      },
    },
    {
      name: 'users.transitiveMemberOf',
      method: 'GET',
      path: '/v1.0/users/{id}/transitiveMemberOf',
      handle: (req) => {
        const id = req.params.id;
        if (!graph.user(id)) return notFound(id);
        const all = graph.transitiveMemberOf(id);
        const top = Math.min(Number(req.query.get('$top') ?? graph.maxPageSize) || graph.maxPageSize, graph.maxPageSize);
        const token = req.query.get('$skiptoken');
        const offset = token === null ? 0 : readSkipToken(token);
        if (Number.isNaN(offset)) return { status: 400, body: graphError('Request_BadRequest', 'Invalid $skiptoken.') };
        const page = all.slice(offset, offset + top);
        const body: Json = {
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects',
          value: page.map((o) => ({ '@odata.type': `#microsoft.graph.${o.type}`, id: o.id, displayName: o.displayName })),
        };
        if (offset + top < all.length) {
          // Graph writes $-names literally and percent-encodes the opaque token.
          const select = req.query.get('$select');
          const query = [...(select ? [`$select=${select}`] : []), `$top=${top}`, `$skiptoken=${encodeURIComponent(skipToken(offset + top))}`];
          body['@odata.nextLink'] = `${graph.graphBaseUrl}/users/${encodeURIComponent(id)}/transitiveMemberOf?${query.join('&')}`;
        }
        return { status: 200, body };
      },
    },
    {
      name: 'groups.transitiveMembers',
      method: 'GET',
      path: '/v1.0/groups/{id}/transitiveMembers',
      handle: (req) => {
        const id = req.params.id;
        const members = graph.transitiveMembers(id);
        if (!members) return notFound(id);
        const top = Math.min(Number(req.query.get('$top') ?? graph.maxPageSize) || graph.maxPageSize, graph.maxPageSize);
        const token = req.query.get('$skiptoken');
        const offset = token === null ? 0 : readSkipToken(token);
        if (Number.isNaN(offset)) return { status: 400, body: graphError('Request_BadRequest', 'Invalid $skiptoken.') };
        const page = members.slice(offset, offset + top);
        const body: Json = {
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects',
          value: page.map((m) =>
            m.type === 'user'
              ? { '@odata.type': '#microsoft.graph.user', id: m.id, displayName: m.displayName, mail: m.mail ?? null }
              : { '@odata.type': '#microsoft.graph.group', id: m.id, displayName: m.displayName },
          ),
        };
        if (offset + top < members.length) {
          const select = req.query.get('$select');
          const query = [...(select ? [`$select=${select}`] : []), `$top=${top}`, `$skiptoken=${encodeURIComponent(skipToken(offset + top))}`];
          body['@odata.nextLink'] = `${graph.graphBaseUrl}/groups/${encodeURIComponent(id)}/transitiveMembers?${query.join('&')}`;
        }
        return { status: 200, body };
      },
    },
  ];
}

/** Opaque like Graph's: base64 that always contains '+' and '/', so a client must keep the URL encoding intact. */
function skipToken(offset: number): string {
  return Buffer.concat([Buffer.from([0xfb, 0xff, 0xbf]), Buffer.from(`offset:${offset}`)]).toString('base64');
}
function readSkipToken(token: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64').subarray(3).toString('utf8'));
  return match ? Number(match[1]) : Number.NaN;
}

