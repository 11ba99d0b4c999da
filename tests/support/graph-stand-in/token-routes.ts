import { randomUUID } from 'node:crypto';
import type { GraphRoute, StandInResponse, StandInState } from './wire.js';

/**
 * Entra ID tokens: OpenID configuration and the v2.0 token endpoint (client_credentials, and
 * on-behalf-of for a user assertion the stand-in knows, on the https authority listener), and the App Service managed-identity
 * endpoint (on the plain-http Graph listener, as App Service serves it on localhost).
 */
export function tokenRoutes(graph: StandInState): GraphRoute[] {
  return [
    {
      name: 'authority.openidConfiguration',
      method: 'GET',
      path: '/{tenant}/v2.0/.well-known/openid-configuration',
      listener: 'authority',
      handle: (req) => {
        const base = `${graph.authorityHost}/${req.params.tenant}`;
        return {
          status: 200,
          body: {
            token_endpoint: `${base}/oauth2/v2.0/token`,
            authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            end_session_endpoint: `${base}/oauth2/v2.0/logout`,
            jwks_uri: `${graph.authorityHost}/${req.params.tenant}/discovery/v2.0/keys`,
            issuer: `${base}/v2.0`,
            response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
            token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
          },
        };
      },
    },
    {
      name: 'authority.token',
      method: 'POST',
      path: '/{tenant}/oauth2/v2.0/token',
      listener: 'authority',
      handle: (req) => {
        const form = req.body instanceof URLSearchParams ? req.body : new URLSearchParams();
        const aadError = (status: number, error: string, description: string): StandInResponse => ({
          status,
          body: { error, error_description: description, error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)], timestamp: new Date().toISOString(), trace_id: randomUUID(), correlation_id: randomUUID() },
        });
        if (req.params.tenant !== graph.tenantId) return aadError(400, 'invalid_request', `AADSTS90002: Tenant '${req.params.tenant}' not found.`);
        const grant = form.get('grant_type');
        const onBehalfOf = grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer';
        if (grant !== 'client_credentials' && !onBehalfOf) return aadError(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
        if (form.get('client_id') !== graph.clientId) return aadError(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory.`);
        if (form.get('client_secret') !== graph.clientSecret) return aadError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
        // MSAL adds openid/profile/offline_access beside the resource's .default scope (on-behalf-of does).
        if (!(form.get('scope') ?? '').split(' ').some((scope) => scope.endsWith('/.default'))) return aadError(400, 'invalid_scope', 'AADSTS1002012: The provided value for scope is not valid.');
        if (onBehalfOf) {
          // On-behalf-of: the assertion must be a user token this stand-in knows (graph.addUserAssertion).
          if (form.get('requested_token_use') !== 'on_behalf_of') return aadError(400, 'invalid_request', "AADSTS900144: The request body must contain the parameter 'requested_token_use'.");
          const user = graph.userOfAssertion(form.get('assertion') ?? '');
          if (!user) return aadError(400, 'invalid_grant', 'AADSTS50013: Assertion failed signature validation.');
          return { status: 200, body: { token_type: 'Bearer', scope: form.get('scope'), expires_in: 3599, ext_expires_in: 3599, access_token: graph.issueToken(user) } };
        }
        return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: graph.issueToken() } };
      },
    },
    {
      name: 'managedIdentity.token',
      method: 'GET',
      path: '/msi/token',
      auth: 'none',
      handle: (req) => {
        if (req.headers['x-identity-header'] !== graph.identityHeader) return { status: 401, body: { statusCode: 401, message: 'Unauthorized request: X-IDENTITY-HEADER is missing or wrong.' } };
        const resource = req.query.get('resource') ?? '';
        return {
          status: 200,
          body: { access_token: graph.issueToken(), expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource, token_type: 'Bearer', client_id: req.query.get('client_id') ?? '' },
        };
      },
    },
  ];
}

