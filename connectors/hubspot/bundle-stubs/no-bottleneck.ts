// Stands in for bottleneck in the bundles: the HubSpot SDK builds its own limiter only when given
// limiterOptions, which healthscore never passes (one shared rate budget per vendor replaces it).
export default class Bottleneck {
  constructor() {
    throw new Error('bottleneck is not bundled: the HubSpot client runs without its own limiter');
  }
}
