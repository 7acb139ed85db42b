// How the connector authenticates to Salesforce (`salesforce.auth`): the OAuth 2.0 flow, its
// non-secret settings (in the config) and its secrets (in the Salesforce secret, a JSON object with
// named keys), merged and checked into one complete `SalesforceAuth`, plus the warning for a JWT
// certificate that expires soon.

import * as z from 'zod';
import { DAY_MS } from '../../lib/days.ts';
import { ConfigError } from '../shared/errors.ts';

export const PRODUCTION_LOGIN_URL = 'https://login.salesforce.com';
export const SANDBOX_LOGIN_URL = 'https://test.salesforce.com';

const originUrl = z.url().transform((u) => u.replace(/\/+$/, ''));
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2027-03-31');
/** True for login.salesforce.com / test.salesforce.com, which are not any org's own domain. */
const isGenericLogin = (url: string) => /^https:\/\/(login|test)\.salesforce\.com$/i.test(url);

/** The keys the Salesforce secret (a JSON object) may hold, and which flow reads each. */
export const SECRET_KEYS = {
  accessToken: 'accessToken',
  privateKey: 'jwt',
  clientSecret: 'refreshToken or clientCredentials',
  refreshToken: 'refreshToken',
} as const;
type SecretKey = keyof typeof SECRET_KEYS;

export const salesforceAuthSchema = z.discriminatedUnion('flow', [
  /** A pasted access token: a quick trial, it expires with the org's session timeout. */
  z.strictObject({ flow: z.literal('accessToken'), accessToken: z.string().min(1).optional() }),
  // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
  z.strictObject({
    flow: z.literal('jwt'),
    /** The connected app's consumer key (the JWT's `iss`). */
    consumerKey: z.string().min(1),
    /** The integration user's username (the JWT's `sub`). */
    username: z.string().min(3),
    /** The JWT's `aud` and where the token is asked for: login.salesforce.com, test.salesforce.com or the My Domain URL. */
    loginUrl: originUrl.default(PRODUCTION_LOGIN_URL),
    /** When the certificate uploaded to the app expires: the run warns 30 days before. */
    certificateExpiresOn: isoDate.optional(),
    privateKey: z.string().min(1).optional(),
  }),
  // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm
  z.strictObject({
    flow: z.literal('refreshToken'),
    clientId: z.string().min(1),
    loginUrl: originUrl.default(PRODUCTION_LOGIN_URL),
    clientSecret: z.string().min(1).optional(),
    refreshToken: z.string().min(1).optional(),
  }),
  // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_client_credentials_flow.htm
  z.strictObject({
    flow: z.literal('clientCredentials'),
    clientId: z.string().min(1),
    /** The org's My Domain URL: the client credentials flow is refused on login.salesforce.com. */
    myDomainUrl: originUrl.refine(
      (u) => !isGenericLogin(u),
      "the client credentials flow needs the org's My Domain URL (https://<domain>.my.salesforce.com), not login.salesforce.com or test.salesforce.com",
    ),
    clientSecret: z.string().min(1).optional(),
  }),
]);

export type SalesforceAuthInput = z.input<typeof salesforceAuthSchema>;
type AuthSettings = z.output<typeof salesforceAuthSchema>;

/** The complete credentials of one flow: settings from the config, secrets from the secret. */
export type SalesforceAuth =
  | { flow: 'accessToken'; accessToken: string }
  | { flow: 'jwt'; consumerKey: string; username: string; loginUrl: string; privateKey: string; certificateExpiresOn?: string | undefined }
  | { flow: 'refreshToken'; clientId: string; loginUrl: string; clientSecret?: string | undefined; refreshToken: string }
  | { flow: 'clientCredentials'; clientId: string; myDomainUrl: string; clientSecret: string };

const WHAT: Record<SecretKey, string> = {
  accessToken: 'the access token of the integration user',
  privateKey: 'the PEM private key of the certificate uploaded to the connected app',
  clientSecret: "the connected app's consumer secret",
  refreshToken: 'a refresh token issued to the integration user for the connected app',
};

/**
 * Reads the Salesforce secret: a JSON object with named keys (`privateKey`, `clientSecret`,
 * `refreshToken`, `accessToken`), or, as before this format, a bare access token.
 */
export function parseSalesforceSecret(raw: string | undefined): Partial<Record<SecretKey, string>> {
  if (raw === undefined) return {};
  const text = raw.trim();
  if (!text.startsWith('{')) return { accessToken: text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError('salesforce', 'the salesforce secret starts with "{" but is not valid JSON: store a JSON object with named keys');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError('salesforce', 'the salesforce secret must be a JSON object with named keys');
  const out: Partial<Record<SecretKey, string>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(key in SECRET_KEYS))
      throw new ConfigError(
        'salesforce',
        `the salesforce secret has an unknown key "${key}": the keys are ${Object.keys(SECRET_KEYS).join(', ')}`,
      );
    if (typeof value !== 'string' || value === '')
      throw new ConfigError('salesforce', `the salesforce secret's "${key}" must be a non-empty string (${WHAT[key as SecretKey]})`);
    out[key as SecretKey] = value;
  }
  return out;
}

/** Merges the secret's keys into the flow's settings; a missing secret key is a ConfigError naming it. */
export function resolveSalesforceAuth(settings: AuthSettings, secretText: string | undefined): SalesforceAuth {
  const secret = parseSalesforceSecret(secretText);
  const need = (key: SecretKey, inline: string | undefined): string => {
    const value = secret[key] ?? inline;
    if (value) return value;
    throw new ConfigError(
      'salesforce',
      `the ${settings.flow} flow needs "${key}" in the salesforce secret (${WHAT[key]}); the secret is a JSON object such as {"${key}": "..."}`,
    );
  };
  switch (settings.flow) {
    case 'accessToken':
      return { flow: 'accessToken', accessToken: need('accessToken', settings.accessToken) };
    case 'jwt':
      return { ...settings, privateKey: need('privateKey', settings.privateKey).replace(/\\n/g, '\n') };
    case 'refreshToken':
      return {
        ...settings,
        refreshToken: need('refreshToken', settings.refreshToken),
        ...(secret.clientSecret || settings.clientSecret ? { clientSecret: secret.clientSecret ?? settings.clientSecret } : {}),
      };
    case 'clientCredentials':
      return { ...settings, clientSecret: need('clientSecret', settings.clientSecret) };
  }
}

/** A warning when the JWT certificate named in the config expires within 30 days (or has expired). */
export function certificateWarning(auth: SalesforceAuth, now: Date): string | undefined {
  if (auth.flow !== 'jwt' || !auth.certificateExpiresOn) return undefined;
  const expires = Date.parse(`${auth.certificateExpiresOn}T00:00:00Z`);
  const days = Math.floor((expires - now.getTime()) / DAY_MS);
  if (days > 30) return undefined;
  const when = days < 0 ? `expired on ${auth.certificateExpiresOn}` : `expires on ${auth.certificateExpiresOn} (in ${days} days)`;
  return `the certificate of the Salesforce connected app (consumer key ${auth.consumerKey.slice(0, 8)}…) ${when}: create a new certificate and key, upload the certificate to the app (Use digital signatures), put the new key in the salesforce secret's privateKey, then set salesforce.auth.certificateExpiresOn to its expiry`;
}
