// Salesforce's error table, driven through jsforce at the fake: each REST error code becomes the
// typed error its row names, with a sentence that says what to fix and Salesforce's own code after it.
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError, QuotaExhaustedError, RateLimitedError, TransientError } from '../../../connectors/shared/errors.ts';
import { orgsClosedAfterEach } from './support.ts';

const startOrg = orgsClosedAfterEach();
const said = (errorCode: string, message: string) => [{ message, errorCode }];

const rows = [
  {
    status: 400,
    body: said('INVALID_FIELD', "No such column 'NPS__c' on entity 'Account'."),
    error: ConfigError,
    says: /a field in the mapping does not exist.*\[INVALID_FIELD: No such column/,
  },
  {
    status: 400,
    body: said('MALFORMED_QUERY', 'unexpected token: FROM'),
    error: ConfigError,
    says: /check the field names in salesforce\.mapping \[MALFORMED_QUERY/,
  },
  {
    status: 403,
    body: said('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
    error: QuotaExhaustedError,
    says: /daily API request allocation is used up/,
  },
  {
    status: 403,
    body: said('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'),
    error: RateLimitedError,
    says: /too many concurrent long-running requests/,
  },
  {
    status: 403,
    body: said('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id'),
    error: ConfigError,
    says: /integration user lacks a permission/,
  },
  {
    status: 404,
    body: said('NOT_FOUND', 'The requested resource does not exist'),
    error: ConfigError,
    says: /set salesforce\.version to one the org supports/,
  },
  { status: 400, body: said('INVALID_QUERY_LOCATOR', 'invalid query locator'), error: DataError, says: /INVALID_QUERY_LOCATOR/ },
  { status: 401, body: said('INVALID_SESSION_ID', 'Session expired or invalid'), error: ConfigError, says: /issue a new access token/ },
  { status: 503, body: said('SERVER_UNAVAILABLE', 'Server unavailable'), error: TransientError, says: /server error 503/ },
];

describe("Salesforce's error table", () => {
  it.each(rows)('given Salesforce answers $status $body.0.errorCode, when a query runs, then $error.name says what to fix', async (row) => {
    const { fake, connector } = await startOrg({}, { retry: { maxAttempts: 1 } });
    fake.server.inject({ times: 1, fault: { kind: 'status', status: row.status, body: row.body } });
    const err = await connector.client.queryAll('SELECT Id FROM Account').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(row.error);
    expect((err as Error).message).toMatch(row.says);
    expect((err as Error).message).not.toContain(fake.accessToken);
  });
});
