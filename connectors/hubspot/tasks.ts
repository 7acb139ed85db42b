// Creates a CRM task on the company for an alert: subject, body with the drivers, due date,
// priority, owned by the account owner (read from the company when the caller does not know it).
import { AssociationTypes } from '@hubspot/api-client';
import type { SimplePublicObjectInputForCreate } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/index.js';
import type { CrmTask } from '../shared/crm.ts';
import type { HubSpotCaller } from './client.ts';

const priorities = { high: 'HIGH', medium: 'MEDIUM', low: 'LOW' } as const;

async function ownerOf(caller: HubSpotCaller, companyId: string): Promise<string | undefined> {
  const company = await caller.call('read the company owner', (sdk) =>
    // Docs: https://developers.hubspot.com/docs/guides/api/crm/objects/companies (retrieve a company)
    sdk.crm.companies.basicApi.getById(companyId, ['hubspot_owner_id']),
  );
  const owner = company.properties.hubspot_owner_id;
  return owner ? owner : undefined;
}

/** The task's properties and its association to the company. */
export async function toHubSpotTask(caller: HubSpotCaller, task: CrmTask): Promise<SimplePublicObjectInputForCreate> {
  const owner = task.ownerId ?? (await ownerOf(caller, task.accountId));
  const properties: Record<string, string> = {
    hs_task_subject: task.title,
    hs_task_body: task.body,
    // Due at noon UTC, so it lands on the due day in every time zone from UTC-11 to UTC+11.
    hs_timestamp: `${task.dueDate}T12:00:00.000Z`,
    hs_task_status: 'NOT_STARTED',
    hs_task_priority: priorities[task.priority],
    hs_task_type: 'TODO',
  };
  if (owner) properties.hubspot_owner_id = owner;
  return {
    properties,
    associations: [
      {
        to: { id: task.accountId },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: AssociationTypes.taskToCompany }],
      },
    ],
  } as unknown as SimplePublicObjectInputForCreate;
}

export async function createHubSpotTask(caller: HubSpotCaller, task: CrmTask): Promise<{ id: string }> {
  const input = await toHubSpotTask(caller, task);
  const created = await caller.call(
    'create task',
    // Docs: https://developers.hubspot.com/docs/guides/api/crm/engagements/tasks (create a task with an association)
    (sdk) => sdk.crm.objects.tasks.basicApi.create(input),
    { retryOnlyWhenUnprocessed: true },
  );
  return { id: created.id };
}
