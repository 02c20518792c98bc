import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// ---- Layers ------------------------------------------------------------------------------------
// Each folder of src/ imports only the folders below it; the faces go through the engine.
//   util                                  nothing of ours
//   stellantis (the API)                  util
//   config, webhook, simulator            stellantis, util
//   remotes                               stellantis, config, util
//   engine                                the above (never a face or a tool)
//   doctor                                the above and engine
//   faces: homebridge, cli, nodes/src, homebridge-ui: the engine and the public core services,
//          never the client, its HTTP/OAuth/token layers or the simulator's internals.
const LAYERS = {
  util: [],
  stellantis: ['util'],
  webhook: ['stellantis', 'util'],
  // The config validates the listener's settings with the listener's own readers (trustProxy, options).
  config: ['stellantis', 'util', 'webhook'],
  vocabulary: ['stellantis', 'util'],
  simulator: ['stellantis', 'util'],
  remotes: ['stellantis', 'config', 'util', 'vocabulary'],
  engine: ['stellantis', 'config', 'util', 'webhook', 'remotes', 'simulator', 'vocabulary'],
  // One login session for every face: OAuth, the token file named after the account.
  login: ['stellantis', 'config', 'util', 'engine'],
  doctor: ['stellantis', 'config', 'util', 'webhook', 'remotes', 'simulator', 'vocabulary', 'engine'],
};

/** A relative import leaving src/<folder> (from a file `depth` folders down) for anywhere but `allowed`. */
function leavingFor(allowed, depth) {
  const up = '\\.\\./'.repeat(depth);
  const others = allowed.length > 0 ? `(?!(?:${allowed.join('|')})(?:/|$))` : '';
  return `^${up}${others}|^${up.slice(0, -1)}$`;
}

function layerRule(folder, allowed) {
  const message = allowed.length > 0 ? `src/${folder} may import only ${allowed.map((f) => `src/${f}`).join(', ')}.` : `src/${folder} imports nothing of ours.`;
  return [1, 2].map((depth) => ({
    files: [depth === 1 ? `src/${folder}/*.ts` : `src/${folder}/*/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: leavingFor(allowed, depth), message }] }] },
  }));
}

const FACE_FORBIDDEN = '(?:^|/)(?:stellantis/(?:client|http|auth|oauth|tokenStore)|simulator/.+)$';
const FACE_MESSAGE = 'A face goes through the engine (and the simulator through its index), never the client, HTTP, OAuth or token layers.';
const FACE_IMPORTS = { patterns: [{ regex: FACE_FORBIDDEN, message: FACE_MESSAGE }] };
const FACE_REQUIRES = { selector: `CallExpression[callee.name='require'] > Literal[value=/${FACE_FORBIDDEN.replaceAll('/', '\\/')}/]`, message: FACE_MESSAGE };

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.demo/', 'coverage/', '.ci/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  ...Object.entries(LAYERS).flatMap(([folder, allowed]) => layerRule(folder, allowed)),
  {
    // The face boundary: clients come from src/engine/clients.ts, the simulator through its index.
    files: ['src/homebridge/**/*.ts', 'src/cli/**/*.ts', 'nodes/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', FACE_IMPORTS] },
  },

  {
    files: ['homebridge-ui/**/*.js'],
    rules: { 'no-restricted-syntax': ['error', FACE_REQUIRES] },
  },

  {
    // The CLI and the benchmarks talk to a terminal: console is their output channel.
    files: ['src/cli/**', 'bench/**', 'test/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Plain CommonJS run as is: the Homebridge UI's server process and Node-RED's node entry files.
    files: ['homebridge-ui/*.js', 'nodes/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['homebridge-ui/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, homebridge: 'readonly' } },
  },
);
