// Stands in for form-data (and, through it, mime-types and the 140 KB mime-db) in the bundles: the
// HubSpot SDK loads it for file uploads and OAuth form posts, neither of which healthscore makes.
// The SDK only tests `body instanceof FormData`, which is false for every body we send.
export default class FormData {
  constructor() {
    throw new Error('form-data is not bundled: healthscore sends no multipart bodies');
  }
}
