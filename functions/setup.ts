// Lambda: creates the CRM's "Health score" properties / fields, idempotently (run once after deploy
// and after every upgrade; a second run changes nothing).
import type { Context } from 'aws-lambda';
import { logger, runtime } from './runtime.ts';

export async function handler(_event: unknown, context: Context) {
  logger.addContext(context);
  const { deps } = await runtime();
  const report = await deps.crm.setup();
  logger.info('crm setup', { ...report });
  return report;
}
