// The suite's audit of vendor rules: after every test, no request any HubSpot fake received may
// have broken a documented HubSpot rule (connectors/hubspot/fake/rules.ts). The fake answers such a
// request with HubSpot's own error, but a connector can swallow an error (split a batch, fall back,
// report a record as rejected), so a test could pass while the connector misbehaves: this catches
// it. A test that breaks a rule on purpose takes its violations itself.
import { afterEach, expect } from 'vitest';
import { takeHubSpotRuleViolations } from '../../connectors/hubspot/fake-server.ts';

afterEach(() => {
  expect(takeHubSpotRuleViolations(), 'HubSpot requests that broke a rule of connectors/hubspot/README.md').toEqual([]);
});
