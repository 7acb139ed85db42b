// Listing Salesforce Accounts in pages of up to 2,000 (the REST query page), full or incremental by
// LastModifiedDate, each record checked against its raw schema: a bad one is reported with its id
// and reason and the rest of the page goes on. The cursor is the query locator of the next page.
import type { AccountPage, ListAccountsOptions } from '../shared/crm.ts';
import type { SalesforceClient } from './client.ts';
import type { SalesforceMapping } from './config.ts';
import { fromSalesforceAccount } from './mappers.ts';
import { accountListing, validateRows } from './raw-schemas.ts';
import { soqlDateTime } from './soql.ts';

export async function* listSalesforceAccounts(
  client: SalesforceClient,
  m: SalesforceMapping,
  options: ListAccountsOptions = {},
): AsyncGenerator<AccountPage> {
  const { fields, schema } = accountListing(m);
  const where = options.modifiedSince ? ` WHERE LastModifiedDate >= ${soqlDateTime(options.modifiedSince)}` : '';
  const soql = `SELECT ${fields.join(', ')} FROM Account${where} ORDER BY Id`;
  for await (const page of client.queryPages(soql, { cursor: options.cursor, signal: options.signal })) {
    const { valid, rejected } = validateRows(page.records, schema, 'Account');
    const next = page.done ? undefined : page.nextRecordsUrl?.split('/').pop();
    yield { accounts: valid.map((row) => fromSalesforceAccount(row, m)), rejected, cursor: next };
  }
}
