import { TeamsAdapter } from '@microsoft/teams-ai';
import type { BotCredentials } from '../config.js';

/**
 * The Bot Framework adapter. With no credentials (local mode) the CloudAdapter accepts
 * unauthenticated activities and sends replies without a token, which the Agents Playground
 * and the connector stand-in need; with credentials every inbound activity must carry a valid
 * Bot Framework JWT or gets 401.
 */
export function createAdapter(credentials: BotCredentials): TeamsAdapter {
  switch (credentials.mode) {
    case 'local':
      return new TeamsAdapter({});
    case 'MultiTenant':
    case 'SingleTenant':
      return new TeamsAdapter({
        MicrosoftAppId: credentials.appId,
        MicrosoftAppPassword: credentials.password,
        MicrosoftAppType: credentials.mode,
        MicrosoftAppTenantId: credentials.tenantId ?? '',
      });
    case 'UserAssignedMSI':
      return new TeamsAdapter({
        MicrosoftAppId: credentials.appId,
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: credentials.tenantId,
      });
  }
}
