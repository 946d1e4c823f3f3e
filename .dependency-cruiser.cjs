/**
 * The layering of polylink (docs/architecture.md, "Layers"), checked by `npm test`
 * (test/unit/architecture/layers.test.ts runs `depcruise` with this file).
 * Type-only imports count: a layer that names another's types depends on it.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-inside',
      comment: 'The core owns its ports and outcomes: it imports none of protocol, transport, api, store, engine, app, the switch implementations, esl or the simulator.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(protocol|transport|api|store|engine|app|switch|esl|simulator|config|cli)/|^src/(server|log)\\.ts$' },
    },
    {
      name: 'esl-knows-nothing-of-polylink',
      comment: 'src/esl/ is an ESL client: it imports nothing else of polylink but the clock leaf (time is injected everywhere).',
      severity: 'error',
      from: { path: '^src/esl/' },
      to: { path: '^src/', pathNot: '^src/(esl/|clock\\.ts$)' },
    },
    {
      name: 'simulator-knows-nothing-of-polylink',
      comment: 'The simulator stands for FreeSWITCH: it imports nothing of polylink but the clock leaf, so that a test can share one ManualClock between the simulator and the core (the composition root maps the organisation to a plain SimulatorSetup).',
      severity: 'error',
      from: { path: '^src/simulator/' },
      to: { path: '^src/', pathNot: '^src/(simulator/|clock\\.ts$)' },
    },
    {
      name: 'leaves-are-leaves',
      comment: 'clock.ts and time-format.ts are leaves every layer may use (the core takes days and time as data through them): they import nothing of polylink.',
      severity: 'error',
      from: { path: '^src/(clock|time-format)\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'protocol-never-esl',
      comment: 'The agent protocol has nothing to do with the switch protocol.',
      severity: 'error',
      from: { path: '^src/protocol/' },
      to: { path: '^src/(esl|switch|simulator)/' },
    },
    {
      name: 'no-circular-layers',
      comment: 'No cycle between files of different folders.',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { circular: true, pathNot: '^src/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    // TypeScript 7 (the native compiler) has no JavaScript API for depcruise to parse with: swc does it.
    parser: 'swc',
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
