// The suite's audit of vendor rules: after every test, no request any HubSpot or Salesforce fake
// received may have broken a documented rule of that vendor (connectors/hubspot/fake/rules.ts,
// connectors/salesforce/fake/rules.ts). The fake answers such a
// request with the vendor's own error, but a connector can swallow an error (split a batch, fall back,
// report a record as rejected), so a test could pass while the connector misbehaves: this catches
// it. A test that breaks a rule on purpose takes its violations itself.
import { afterEach, expect } from 'vitest';
import { takeHubSpotRuleViolations } from '../../connectors/hubspot/fake/server.ts';
import { takeSalesforceRuleViolations } from '../../connectors/salesforce/fake/server.ts';

afterEach(() => {
  expect(takeHubSpotRuleViolations(), 'HubSpot requests that broke a rule of connectors/hubspot/README.md').toEqual([]);
  expect(takeSalesforceRuleViolations(), 'Salesforce requests that broke a rule of connectors/salesforce/README.md').toEqual([]);
});
