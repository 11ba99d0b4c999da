import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The Entra app registration behind tab SSO (appPackage/aad.manifest.json, Microsoft Graph format as
// the Agents Toolkit's aadApp/update reads it) and the Teams manifest's webApplicationInfo that points to it.
const aad = JSON.parse(readFileSync('appPackage/aad.manifest.json', 'utf8')) as {
  identifierUris: string[];
  api: { requestedAccessTokenVersion: number; oauth2PermissionScopes: Array<{ id: string; value: string; type: string; isEnabled: boolean }>; preAuthorizedApplications: Array<{ appId: string; delegatedPermissionIds: string[] }> };
};
const manifest = JSON.parse(readFileSync('appPackage/manifest.json', 'utf8')) as { webApplicationInfo: { id: string; resource: string } };

/** Microsoft's published client ids of Teams (desktop/mobile, web) and of Microsoft 365 and Outlook, which host Teams apps. */
const TEAMS_CLIENTS = [
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
  '4765445b-32c6-49b0-83e6-1d93765276ca',
  '0ec893e0-5785-4de6-99da-4ed124e5296c',
  'd3590ed6-52b3-4102-aeff-aad2292ab01c',
  'bc59ab01-8403-45c6-8796-ac3ef710b3e3',
  '00000002-0000-0ff1-ce00-000000000000',
  '4345a7b9-9a63-4910-a426-35363201d503',
];

describe('the tab SSO app registration', () => {
  it('exposes access_as_user at api://<tab domain>/<client id> and issues v2 tokens (aud = the client id)', () => {
    expect(aad.identifierUris).toEqual(['api://${{TAB_DOMAIN}}/${{AAD_APP_CLIENT_ID}}']);
    expect(aad.api.requestedAccessTokenVersion).toBe(2);
    const scope = aad.api.oauth2PermissionScopes.find((s) => s.value === 'access_as_user');
    expect(scope).toMatchObject({ type: 'User', isEnabled: true, id: '${{AAD_APP_ACCESS_AS_USER_PERMISSION_ID}}' });
  });

  it('pre-authorises the Teams, Microsoft 365 and Outlook clients for that scope, so getAuthToken needs no consent prompt', () => {
    const authorised = new Map(aad.api.preAuthorizedApplications.map((a) => [a.appId, a.delegatedPermissionIds]));
    for (const client of TEAMS_CLIENTS) expect(authorised.get(client), client).toEqual(['${{AAD_APP_ACCESS_AS_USER_PERMISSION_ID}}']);
  });

  it('is what the Teams manifest names in webApplicationInfo', () => {
    expect(manifest.webApplicationInfo).toEqual({ id: '${{AAD_APP_CLIENT_ID}}', resource: aad.identifierUris[0] });
  });
});
