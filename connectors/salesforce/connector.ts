// The Salesforce CRM connector (CrmConnector): accounts and their join keys, the relationship /
// engagement / outcome signal source, the Account custom fields the score is written to (and the
// permission set that lets the integration user write them), and tasks for alerts, all through
// jsforce with one process-wide budget and the shared retry policy.
import type { CrmConnector, CrmTask, ListAccountsOptions, ScoreWrite } from '../shared/crm.ts';
import { ConfigError, DataError } from '../shared/errors.ts';
import { listSalesforceAccounts } from './accounts.ts';
import { certificateWarning } from './auth-config.ts';
import { type ApiUsage, SalesforceClient } from './client.ts';
import { parseSalesforceConfig, type SalesforceConfig, type SalesforceConfigInput } from './config.ts';
import { SCORE_FIELD } from './field-specs.ts';
import { type OrgSchema, readOrgSchema } from './org-schema.ts';
import { previewSalesforceWrites } from './preview-writes.ts';
import { type SalesforceSetupReport, setupSalesforce } from './setup.ts';
import { isSalesforceId, soqlIdList } from './soql.ts';
import { createSalesforceSource } from './source.ts';
import { writeSalesforceScores } from './writer.ts';

export { type SalesforceConfig, type SalesforceConfigInput, salesforceConfigSchema } from './config.ts';
export type { SalesforceSetupReport } from './setup.ts';

const PRIORITY = { high: 'High', medium: 'Normal', low: 'Low' } as const;

/** Where people open records: https://acme.my.salesforce.com → https://acme.lightning.force.com. */
export function lightningBase(config: { instanceUrl: string; lightningUrl?: string | undefined }): string {
  if (config.lightningUrl) return config.lightningUrl.replace(/\/$/, '');
  const url = new URL(config.instanceUrl);
  const m = /^(.+?)\.((?:sandbox|develop|scratch)\.)?my\.salesforce\.com$/.exec(url.hostname);
  return m ? `https://${m[1]}.${m[2] ?? ''}lightning.force.com` : url.origin;
}

/** The org's own URL before any session: the My Domain the auth settings name, if any. */
function orgUrlOf(config: SalesforceConfig): string {
  const a = config.auth;
  if (a.flow === 'clientCredentials') return a.myDomainUrl;
  if ((a.flow === 'jwt' || a.flow === 'refreshToken') && /\.my\.salesforce\.com$/.test(new URL(a.loginUrl).hostname)) return a.loginUrl;
  return 'https://login.salesforce.com';
}

export interface SalesforceConnector extends CrmConnector {
  readonly kind: 'salesforce';
  readonly config: SalesforceConfig;
  readonly client: SalesforceClient;
  /** The org's API usage as last reported by Sforce-Limit-Info (undefined before the first call). */
  apiUsage(): ApiUsage | undefined;
  /** Fields, permission set and its assignment; `warnings` when setup was refused but nothing is broken. */
  setup(): Promise<SalesforceSetupReport>;
}

export function createSalesforceConnector(input: SalesforceConfigInput): SalesforceConnector {
  const config = parseSalesforceConfig(input);
  const client = new SalesforceClient(config);
  const mapping = config.mapping;
  /** The org URL is known from the config, or (with an OAuth flow) once the first session names it. */
  const base = () => lightningBase({ instanceUrl: client.instanceUrl ?? orgUrlOf(config), lightningUrl: config.lightningUrl });
  // The org's schema (objects, visible fields, role values), read once per process and again after setup changes it.
  let schemaRead: Promise<OrgSchema> | undefined;
  const schema = (signal?: AbortSignal): Promise<OrgSchema> => {
    schemaRead ??= readOrgSchema(client, mapping, signal).catch((err: unknown) => {
      schemaRead = undefined;
      throw err;
    });
    return schemaRead;
  };

  const ownerOf = async (accountId: string): Promise<string | undefined> => {
    const rows = await client.queryAll(`SELECT Id, OwnerId FROM Account WHERE Id IN (${soqlIdList([accountId])})`);
    const owner = rows[0]?.OwnerId;
    return typeof owner === 'string' ? owner : undefined;
  };

  return {
    kind: 'salesforce',
    config,
    client,
    apiUsage: () => client.usage,
    // Listing reads the mapping as configured; should the org lack a mapped Account field (INVALID_FIELD on the
    // first page), it reads the org's schema and lists without that field, which the run's summary then names.
    // Without the scope field it stops: scoring every account, or none, would be a silent guess.
    async *listAccounts(options?: ListAccountsOptions) {
      let yielded = false;
      try {
        for await (const page of listSalesforceAccounts(client, schemaRead ? (await schemaRead).mapping : mapping, options)) {
          yielded = true;
          yield page;
        }
      } catch (err) {
        if (yielded || !(err instanceof ConfigError) || !/INVALID_FIELD/.test(err.message)) throw err;
        const org = await schema(options?.signal);
        if (org.errors.length > 0) throw new ConfigError('salesforce', org.errors.join(' | '));
        yield* listSalesforceAccounts(client, org.mapping, options);
      }
    },
    source: createSalesforceSource(client, schema),
    async setup() {
      const report = await setupSalesforce(client, mapping);
      schemaRead = undefined; // setup created fields: read the schema anew
      const org = await schema();
      const expiring = certificateWarning(config.auth, new Date());
      const warnings = [...(report.warnings ?? []), ...org.warnings, ...(expiring ? [expiring] : [])];
      return warnings.length > 0 ? { ...report, warnings } : report;
    },
    // The org's schema is read once per process anyway (the source needs it): the check costs no extra call.
    async preflight(signal?: AbortSignal) {
      const { missing, tierValuesMissing } = (await schema(signal)).scoreFields;
      if (missing.length > 0)
        throw new ConfigError(
          'salesforce',
          `the Account fields ${missing.join(', ')} that every run writes do not exist or are hidden from the integration user: run \`healthscore setup\` (it creates them and grants the integration user access), then run again`,
        );
      if (tierValuesMissing.length > 0)
        throw new ConfigError(
          'salesforce',
          `the Account picklist ${SCORE_FIELD.tier} has no value ${tierValuesMissing.map((t) => `"${t}"`).join(', ')}, which the run writes: run \`healthscore setup\` (it adds the missing values and keeps the others), then run again`,
        );
    },
    configWarnings: (now: Date) => [certificateWarning(config.auth, now)].filter((w): w is string => w !== undefined),
    writeScores: (rows: readonly ScoreWrite[], signal?: AbortSignal) => writeSalesforceScores(client, rows, signal),
    previewWrites: (rows: readonly ScoreWrite[], signal?: AbortSignal) => previewSalesforceWrites(client, rows, signal),
    async createTask(task: CrmTask) {
      if (!isSalesforceId(task.accountId)) throw new DataError('salesforce', task.accountId, 'not a Salesforce record id');
      const ownerId = task.ownerId ?? (await ownerOf(task.accountId));
      const record = {
        WhatId: task.accountId,
        ...(ownerId ? { OwnerId: ownerId } : {}),
        Subject: task.title.slice(0, 255),
        Description: task.body.slice(0, 32000),
        ActivityDate: task.dueDate,
        Priority: PRIORITY[task.priority],
        Status: 'Not Started',
        TaskSubtype: 'Task',
      };
      // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm
      const res = (await client.call(() => client.conn.sobject('Task').create(record) as Promise<unknown>)) as {
        id?: string;
        success: boolean;
        errors?: { statusCode?: string; message?: string }[];
      };
      if (!res.success || !res.id)
        throw new DataError(
          'salesforce',
          task.accountId,
          `task not created: ${(res.errors ?? []).map((e) => `${e.statusCode}: ${e.message}`).join('; ')}`,
        );
      return { id: res.id };
    },
    recordUrl: (accountId: string) => `${base()}/lightning/r/Account/${accountId}/view`,
  };
}
