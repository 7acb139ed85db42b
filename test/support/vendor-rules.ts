// The suite's audit of vendor rules: after every test, no request any vendor fake received may have
// broken a documented rule of that vendor (connectors/<vendor>/fake/rules.ts, each connector's
// README table). The fake answers such a request with the vendor's own error (or, for a rule the
// vendor does not refuse, serves it and records it), but a connector can swallow an error (split a
// batch, fall back, report a record as rejected), so a test could pass while the connector
// misbehaves: this catches it. A test that breaks a rule on purpose takes its violations itself.
import { afterEach, expect } from 'vitest';
import { takeHubSpotRuleViolations } from '../../connectors/hubspot/fake/server.ts';
import { takeMixpanelRuleViolations } from '../../connectors/mixpanel/fake/server.ts';
import { takeSalesforceRuleViolations } from '../../connectors/salesforce/fake/server.ts';
import { takeStripeRuleViolations } from '../../connectors/stripe/fake/server.ts';
import { takeZendeskRuleViolations } from '../../connectors/zendesk/fake/server.ts';

afterEach(() => {
  expect(takeHubSpotRuleViolations(), 'HubSpot requests that broke a rule of connectors/hubspot/README.md').toEqual([]);
  expect(takeSalesforceRuleViolations(), 'Salesforce requests that broke a rule of connectors/salesforce/README.md').toEqual([]);
  expect(takeStripeRuleViolations(), 'Stripe requests that broke a rule of connectors/stripe/README.md').toEqual([]);
  expect(takeZendeskRuleViolations(), 'Zendesk requests that broke a rule of connectors/zendesk/README.md').toEqual([]);
  expect(takeMixpanelRuleViolations(), 'Mixpanel requests that broke a rule of connectors/mixpanel/README.md').toEqual([]);
});
