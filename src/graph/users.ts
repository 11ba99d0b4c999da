import { z } from 'zod/v4';
import type { GraphConnection } from './graph-client.js';
import { getAllPages, graphRequest, GraphRequestError } from './graph-request.js';

/** The parts of a Graph `user` the app uses (GET /users/{id}). */
export interface GraphUser {
  id: string;
  displayName: string;
  mail: string | null;
  userPrincipalName: string | null;
}

export interface GraphGroupRef {
  id: string;
  displayName: string | null;
}

const userSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().nullable().optional(),
  mail: z.string().nullable().optional(),
  userPrincipalName: z.string().nullable().optional(),
});

const directoryObjectSchema = z.object({
  '@odata.type': z.string().optional(),
  id: z.string().min(1),
  displayName: z.string().nullable().optional(),
});

const userPath = (id: string): string => `/users/${encodeURIComponent(id)}`;

/** GET /users/{id}; null when the directory has no such user. */
export async function getUser(graph: GraphConnection, id: string): Promise<GraphUser | null> {
  try {
    const body: unknown = await graphRequest('get user', () =>
      graph.client.api(userPath(id)).select(['id', 'displayName', 'mail', 'userPrincipalName']).get() as Promise<unknown>,
    );
    const user = userSchema.parse(body);
    return {
      id: user.id,
      displayName: user.displayName ?? user.userPrincipalName ?? user.id,
      mail: user.mail ?? null,
      userPrincipalName: user.userPrincipalName ?? null,
    };
  } catch (error) {
    if (error instanceof GraphRequestError && error.isNotFound) return null;
    throw error;
  }
}

/**
 * Every group the user belongs to, directly or through nested groups
 * (GET /users/{id}/transitiveMemberOf, all pages). Directory roles and administrative units in
 * the same collection are left out. Null when the directory has no such user.
 */
export async function listTransitiveMemberOf(graph: GraphConnection, id: string): Promise<GraphGroupRef[] | null> {
  let items: unknown[];
  try {
    items = await getAllPages(graph, 'list group memberships', `${userPath(id)}/transitiveMemberOf?$select=id,displayName&$top=999`);
  } catch (error) {
    if (error instanceof GraphRequestError && error.isNotFound) return null;
    throw error;
  }
  const groups: GraphGroupRef[] = [];
  for (const item of items) {
    const parsed = directoryObjectSchema.safeParse(item);
    if (parsed.success && parsed.data['@odata.type'] === '#microsoft.graph.group') {
      groups.push({ id: parsed.data.id, displayName: parsed.data.displayName ?? null });
    }
  }
  return groups;
}

/** A directory entry with its transitive group ids: what people resolution needs from Graph. */
export interface DirectoryPersonRecord {
  user: { id: string; displayName: string; email?: string };
  groupIds: string[];
}

/**
 * The people directory backed by Graph: null when the user is unknown; throws GraphRequestError
 * when Graph cannot answer (the caller decides whether a stale answer will do).
 */
export function graphPeopleDirectory(graph: GraphConnection): {
  findPerson(aadObjectId: string): Promise<DirectoryPersonRecord | null>;
  groupMembers(groupId: string): Promise<GraphMember[] | null>;
} {
  return {
    groupMembers: (groupId) => listGroupTransitiveMembers(graph, groupId),
    async findPerson(aadObjectId) {
      const user = await getUser(graph, aadObjectId);
      if (!user) return null;
      const groups = await listTransitiveMemberOf(graph, aadObjectId);
      if (!groups) return null;
      return {
        user: { id: user.id, displayName: user.displayName, ...(user.mail ? { email: user.mail } : {}) },
        groupIds: groups.map((g) => g.id),
      };
    },
  };
}

/** A user found among a group's members. */
export interface GraphMember {
  id: string;
  displayName: string;
  mail: string | null;
}

/**
 * The users in a group, directly or through nested groups (GET /groups/{id}/transitiveMembers,
 * all pages). Nested groups, devices and service principals in the same collection are left out.
 * Null when the directory has no such group.
 */
export async function listGroupTransitiveMembers(graph: GraphConnection, groupId: string): Promise<GraphMember[] | null> {
  let items: unknown[];
  try {
    items = await getAllPages(graph, 'list group members', `/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=id,displayName,mail&$top=999`);
  } catch (error) {
    if (error instanceof GraphRequestError && error.isNotFound) return null;
    throw error;
  }
  const members: GraphMember[] = [];
  for (const item of items) {
    const parsed = userSchema.extend({ '@odata.type': z.string().optional() }).safeParse(item);
    if (parsed.success && parsed.data['@odata.type'] === '#microsoft.graph.user') {
      members.push({ id: parsed.data.id, displayName: parsed.data.displayName ?? parsed.data.id, mail: parsed.data.mail ?? null });
    }
  }
  return members;
}
