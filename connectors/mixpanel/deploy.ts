// Mixpanel's deploy entry: the hourly query allowance a schedule is checked against.
import type { VendorDeploy } from '../shared/vendor-deploy.ts';

export const mixpanelDeploy: VendorDeploy<'mixpanel'> = {
  id: 'mixpanel',
  // The Query API allows 60 queries an hour; a run makes its fixed handful (6 in the demo).
  allowance: { perDay: 60 * 24, hourly: true, callsPerRun: () => 6 },
};
