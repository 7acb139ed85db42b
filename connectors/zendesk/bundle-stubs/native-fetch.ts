// Stands in for cross-fetch (node-zendesk's default transport, which pulls node-fetch and its URL
// tables into the bundle). The Zendesk client is always given our own transport, and Node 24 has
// fetch built in, so the platform's fetch is what cross-fetch would have been.
export const fetch = globalThis.fetch;
export const Headers = globalThis.Headers;
export const Request = globalThis.Request;
export const Response = globalThis.Response;
export default fetch;
