import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SamplePerson } from './sample-people.js';

/**
 * `npm run dev` points the app's real Microsoft Graph client at the project's Graph stand-in
 * (tests/support/graph-stand-in.ts) instead of Microsoft: it serves the sample Universal Resource
 * Library for search/query (the same library the tests use, honouring the KQL path restriction
 * and paging as Graph does) and Outlook calendars for the sample people. The playground has no
 * single sign-on, so local searches are app-only: what everyone in the trust may see.
 *
 * The stand-in is test support, not part of the built app, so it is loaded by path at run time
 * (npm run dev runs from the source tree through tsx); the built app never imports it.
 */
export interface LocalGraph {
  /** Environment that points the app at the stand-in (Graph URLs, an app identity, its TLS certificate). */
  env: Record<string, string>;
  close(): Promise<void>;
}

interface StandInModule {
  startGraphStandIn(): Promise<{
    certificatePem: string;
    appEnv(): Record<string, string>;
    addUser(user: { id: string; displayName: string; mail?: string; userPrincipalName?: string }): void;
    close(): Promise<void>;
  }>;
}

export async function startLocalGraph(root: string, workDir: string, people: readonly SamplePerson[]): Promise<LocalGraph> {
  const modulePath = path.join(root, 'tests', 'support', 'graph-stand-in.ts');
  const standIn = await ((await import(pathToFileURL(modulePath).href)) as StandInModule).startGraphStandIn();
  for (const person of people) standIn.addUser({ id: person.aadObjectId, displayName: person.displayName, mail: person.email, userPrincipalName: person.email });
  // The token authority is https with a fresh self-signed certificate; the app process trusts it.
  const caFile = path.join(workDir, 'graph-stand-in-ca.pem');
  writeFileSync(caFile, standIn.certificatePem);
  return { env: { ...standIn.appEnv(), NODE_EXTRA_CA_CERTS: caFile }, close: () => standIn.close() };
}
