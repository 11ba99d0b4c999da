// Development Hub in Azure: one Linux App Service (Node 24 LTS) that serves the bot endpoint, the tab
// pages and the tab API; an Azure Bot that reaches it as a user-assigned managed identity (no bot
// password to rotate); and Azure Database for PostgreSQL Flexible Server for all state, so the web
// app can scale out to several stateless instances.
//
// Deployed by `teamsapp provision` (arm/deploy in teamsapp.yml) with azure.parameters.json; every
// output below is written back to env/.env.<env> under the same name.

@minLength(10)
@maxLength(20)
@description('Base for every resource name: "devhub" plus RESOURCE_SUFFIX. Lower-case letters and digits; web app and PostgreSQL names are global, so the suffix must be unique to your trust.')
param resourceBaseName string

param location string = resourceGroup().location

@maxLength(42)
@description('Name of the Azure Bot resource as shown in the Azure portal.')
param botDisplayName string

@allowed(['F0', 'S1'])
@description('Azure Bot pricing tier: F0 is free (standard channels such as Teams are unlimited); S1 adds premium channels.')
param botSku string = 'F0'

@description('App Service plan tier. Basic (B1) or above is needed for Always On.')
param webAppSku string = 'B1'

@description('Node.js runtime of the web app: Node 24 LTS (supported to April 2028). The app needs Node 24 or later.')
param linuxFxVersion string = 'NODE|24-lts'

@description('App log level (pino).')
@allowed(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
param logLevel string = 'info'

@description('Load the sample academies, people and CPD catalogue into an empty database (on, off or auto).')
@allowed(['on', 'off', 'auto'])
param sampleData string = 'off'

@description('PostgreSQL major version.')
@allowed(['16'])
param postgresVersion string = '16'

@description('PostgreSQL compute: Burstable Standard_B1ms suits one trust; move to General Purpose for heavy use.')
param postgresSkuName string = 'Standard_B1ms'

@allowed(['Burstable', 'GeneralPurpose', 'MemoryOptimized'])
param postgresSkuTier string = 'Burstable'

@minValue(32)
param postgresStorageSizeGB int = 32

@minValue(7)
@maxValue(35)
param postgresBackupRetentionDays int = 7

param postgresAdminLogin string = 'devhubadmin'

@secure()
@minLength(8)
@description('Administrator password for PostgreSQL (SECRET_POSTGRES_ADMIN_PASSWORD in env/.env.<env>.user).')
param postgresAdminPassword string

param databaseName string = 'devhub'

@description('How many connections each app instance may open.')
param databasePoolMax int = 10

@description('Client id of the Entra app registration used for tab SSO (written by aadApp/create).')
param aadAppClientId string

param aadAppTenantId string

param aadAppOauthAuthorityHost string = environment().authentication.loginEndpoint

@description('The Teams app id (TEAMS_APP_ID, written by teamsApp/create): channel cards deep-link to the Commissions tab with it.')
param teamsAppId string = ''

@secure()
@description('Client secret of the SSO app registration (SECRET_AAD_APP_CLIENT_SECRET), for on-behalf-of token exchange.')
param aadAppClientSecret string = ''

@description('Name of the Bot Service OAuth connection for Teams SSO (resource search as each person). Created only when the Entra app has a client secret; the app reads it as BOT_SSO_CONNECTION.')
param ssoConnectionName string = 'graph-sso'

var webAppName = resourceBaseName
var postgresServerName = '${resourceBaseName}-pg'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-id'
  location: location
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: postgresServerName
  location: location
  sku: {
    name: postgresSkuName
    tier: postgresSkuTier
  }
  properties: {
    version: postgresVersion
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    authConfig: {
      activeDirectoryAuth: 'Disabled'
      passwordAuth: 'Enabled'
    }
    storage: {
      storageSizeGB: postgresStorageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: postgresBackupRetentionDays
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// 0.0.0.0-0.0.0.0 is Azure's documented rule for "allow access from Azure services": the web app's
// outbound addresses change with scaling, so a fixed list would break. TLS is required on the
// server, and the password is the app's only credential; put both behind a VNet for stricter setups.
resource allowAzureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    clientAffinityEnabled: false // instances are stateless; all state is in PostgreSQL
    siteConfig: {
      linuxFxVersion: linuxFxVersion
      // The deployed zip already holds dist/ and node_modules; `npm start` would rebuild into a
      // read-only package mount, so start the compiled server directly.
      appCommandLine: 'node dist/index.js'
      alwaysOn: true
      http20Enabled: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      healthCheckPath: '/healthz'
      appSettings: [
        // zipDeploy uploads a ready-built artifact: mount it read-only as the site and skip Oryx.
        { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
        { name: 'NODE_ENV', value: 'production' }
        { name: 'LOG_LEVEL', value: logLevel }
        // glibc's malloc gives freed memory back (scripts/bundle-server.mjs, MALLOC_TRIM_THRESHOLD); set here,
        // dist/index.js need not start itself again to set it.
        { name: 'MALLOC_TRIM_THRESHOLD_', value: '131072' }
        { name: 'BOT_SSO_CONNECTION', value: empty(aadAppClientSecret) ? '' : ssoConnectionName }
        { name: 'SAMPLE_DATA', value: sampleData }
        // The bot authenticates to Bot Framework as the managed identity (src/config.ts BOT_TYPE).
        { name: 'BOT_ID', value: identity.properties.clientId }
        { name: 'BOT_TYPE', value: 'UserAssignedMSI' }
        { name: 'BOT_TENANT_ID', value: identity.properties.tenantId }
        // Lets @azure/identity pick the same user-assigned identity (e.g. for Microsoft Graph).
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        // Contains the PostgreSQL administrator password. Readable by anyone with access to the
        // web app's configuration; move it to a Key Vault reference if that is too wide.
        {
          name: 'DATABASE_URL'
          value: 'postgresql://${postgresAdminLogin}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${database.name}?sslmode=require'
        }
        { name: 'DATABASE_POOL_MAX', value: string(databasePoolMax) }
        // Tab SSO (webApplicationInfo in the Teams manifest); the secret is for on-behalf-of calls.
        { name: 'AAD_APP_CLIENT_ID', value: aadAppClientId }
        { name: 'AAD_APP_TENANT_ID', value: aadAppTenantId }
        { name: 'AAD_APP_OAUTH_AUTHORITY_HOST', value: aadAppOauthAuthorityHost }
        { name: 'AAD_APP_CLIENT_SECRET', value: aadAppClientSecret }
        { name: 'TEAMS_APP_ID', value: teamsAppId }
      ]
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// Teams SSO for the bot: Azure AD v2 with token exchange, issuing tokens for the app's own API
// (access_as_user, exposed by appPackage/aad.manifest.json); the app exchanges them on-behalf-of for
// Graph (Sites.Read.All, Files.Read.All delegated). Token exchange URL = the API's application id URI.
resource ssoConnection 'Microsoft.BotService/botServices/connections@2022-09-15' = if (!empty(aadAppClientSecret)) {
  parent: bot
  name: ssoConnectionName
  location: 'global'
  properties: {
    serviceProviderDisplayName: 'Azure Active Directory v2'
    serviceProviderId: '30dd229c-58e3-4a48-bdfd-91ec48eb906c'
    clientId: aadAppClientId
    clientSecret: aadAppClientSecret
    scopes: 'api://${webApp.properties.defaultHostName}/${aadAppClientId}/access_as_user'
    parameters: [
      { key: 'tenantID', value: aadAppTenantId }
      { key: 'tokenExchangeUrl', value: 'api://${webApp.properties.defaultHostName}/${aadAppClientId}' }
    ]
  }
}

// Written to env/.env.<env> by the Toolkit; appPackage/manifest.json and teamsapp.yml read them.
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output POSTGRES_SERVER_FQDN string = postgres.properties.fullyQualifiedDomainName
