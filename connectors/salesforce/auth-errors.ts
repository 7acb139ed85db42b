// What to fix when Salesforce's token endpoint refuses a grant: its OAuth error code and description
// (e.g. invalid_grant "user hasn't approved this consumer") turned into a ConfigError that names the
// setting or the connected-app step an admin must change. Error texts: connectors/salesforce/README.md.
import { ConfigError, RateLimitedError, TransientError } from '../shared/errors.ts';
import { redact } from '../shared/http-trace.ts';
import type { SalesforceAuth } from './auth-config.ts';

const FLOW_NAMES: Record<SalesforceAuth['flow'], string> = {
  accessToken: 'access token',
  jwt: 'JWT bearer',
  refreshToken: 'refresh token',
  clientCredentials: 'client credentials',
};

function appIdSetting(auth: SalesforceAuth): string {
  if (auth.flow === 'jwt') return `salesforce.auth.consumerKey (${auth.consumerKey.slice(0, 8)}…)`;
  if (auth.flow === 'accessToken') return 'the app';
  return `salesforce.auth.clientId (${auth.clientId.slice(0, 8)}…)`;
}

function tokenUrl(auth: SalesforceAuth): string {
  if (auth.flow === 'clientCredentials') return auth.myDomainUrl;
  return auth.flow === 'accessToken' ? '' : auth.loginUrl;
}

/** The sentence saying what to change, from Salesforce's OAuth error code and description. */
function fixFor(auth: SalesforceAuth, code: string, description: string): string {
  const d = description.toLowerCase();
  if (code === 'invalid_client_id')
    return `${appIdSetting(auth)} names no connected app or external client app that ${tokenUrl(auth)} knows: copy the Consumer Key from the app (Setup > App Manager > the app > View > Manage Consumer Details), and for an app in a sandbox use https://test.salesforce.com or the sandbox's My Domain URL`;
  if (code === 'invalid_client')
    return `the clientSecret in the salesforce secret is not the consumer secret of the app ${appIdSetting(auth)}: copy it again from Manage Consumer Details (it changes when the secret is rotated)`;
  if (code === 'unsupported_grant_type')
    return `the app does not allow the ${FLOW_NAMES[auth.flow]} flow: enable it in the app's OAuth settings`;
  if (code !== 'invalid_grant') return 'check salesforce.auth and the salesforce secret against the connected app';
  if (d.includes('invalid assertion'))
    return "the JWT's signature does not verify against the certificate uploaded to the connected app: the privateKey in the salesforce secret must be the private key of that certificate (or upload the certificate that matches the key under Use digital signatures); if the key is right, check this machine's clock (the assertion is valid for 2 minutes)";
  if (d.includes('audience'))
    return `salesforce.auth.loginUrl (${tokenUrl(auth)}) is not an audience the org accepts: use https://login.salesforce.com for production, https://test.salesforce.com for a sandbox, or the org's My Domain URL`;
  if (d.includes("hasn't approved") || d.includes('not approved'))
    return `the integration user${auth.flow === 'jwt' ? ` ${auth.username}` : ''} is not pre-authorized for the app: set the app's Permitted Users to "Admin approved users are pre-authorized", add the user's profile or a permission set assigned to the user to the app, and give the app the api and refresh_token scopes`;
  if (d.includes('client credentials user'))
    return "the app has no Run As user for the client credentials flow: in the app's policies enable the Client Credentials Flow and choose the integration user as Run As";
  if (d.includes('not supported on this domain'))
    return "the client credentials flow is answered only on the org's My Domain: set salesforce.auth.myDomainUrl to https://<domain>.my.salesforce.com";
  if (d.includes('expired access/refresh token'))
    return "the refresh token in the salesforce secret is expired or revoked (the app's refresh token policy, a revoked approval, or refresh token rotation used it up): authorize again, put the new refresh token in the secret's refreshToken, or switch to the jwt flow";
  if (d.includes('user'))
    return `check salesforce.auth.username${auth.flow === 'jwt' ? ` (${auth.username})` : ''}: it must be the integration user's exact username in this org, active and not locked`;
  return 'check salesforce.auth and the salesforce secret against the connected app';
}

/** Maps whatever a token request threw into the kit's errors (an outage stays retryable). */
export function tokenRequestError(auth: SalesforceAuth, err: unknown): Error {
  if (err instanceof TransientError || err instanceof RateLimitedError || err instanceof ConfigError) return err;
  const e = err as { name?: unknown; message?: unknown };
  const code = typeof e?.name === 'string' && /^[a-z_]+$/.test(e.name) ? e.name : 'error';
  const description = redact(String(e?.message ?? err));
  return new ConfigError(
    'salesforce',
    `Salesforce refused the ${FLOW_NAMES[auth.flow]} token request (${code}: ${description}): ${fixFor(auth, code, description)}`,
  );
}

/** When a session Salesforce had just issued is refused too: no renewal can cure it. */
export function freshSessionRefused(auth: SalesforceAuth, why: string): ConfigError {
  return new ConfigError(
    'salesforce',
    `Salesforce refused a session it had just issued through the ${FLOW_NAMES[auth.flow]} flow: the integration user may lack "API Enabled", the app's scopes may lack api, or the token's instance_url is not this org [${redact(why)}]`,
  );
}
