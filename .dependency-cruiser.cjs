// The layering of BRIEF.md, enforced: each module may import only the modules below it.
//   util, api  <-  storage, client  <-  apiserver | scheduler, controllers, kubelet, runtime, proxy  <-  cli
const allowed = {
  util: ['util'],
  api: ['api', 'util'],
  storage: ['storage', 'api', 'util'],
  client: ['client', 'api', 'util'],
  apiserver: ['apiserver', 'storage', 'api', 'util'],
  scheduler: ['scheduler', 'client', 'api', 'util'],
  controllers: ['controllers', 'client', 'api', 'util'],
  runtime: ['runtime', 'api', 'util'],
  kubelet: ['kubelet', 'runtime', 'client', 'api', 'util'],
  proxy: ['proxy', 'client', 'api', 'util'],
  cli: ['cli', 'apiserver', 'storage', 'client', 'scheduler', 'controllers', 'runtime', 'kubelet', 'proxy', 'api', 'util'],
};
const modules = Object.keys(allowed);

module.exports = {
  forbidden: [
    ...modules.map((name) => ({
      name: `layering-${name}`,
      comment: `src/${name} may import only: ${allowed[name].join(', ')} (see BRIEF.md layering)`,
      severity: 'error',
      from: { path: `^src/${name}/` },
      to: { path: `^src/(?!(${allowed[name].join('|')})/)` },
    })),
    {
      name: 'known-modules-only',
      comment: 'every folder under src/ is a module of the layering; add new ones to .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: `^src/(?!(${modules.join('|')})/)` },
      to: {},
    },
    {
      name: 'product-code-not-on-tests',
      comment: 'only tests (*.test.ts) and their helpers (test-support.ts) may import test/ or bench/',
      severity: 'error',
      from: { path: '^src/', pathNot: '(\\.test|test-support)\\.ts$' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^dist/' },
  },
};
