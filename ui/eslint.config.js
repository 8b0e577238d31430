import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'src/ipc/bindings.gen.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-console': 'error',
      // The UI reaches the core only through the typed client (src/ipc/client.ts).
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@tauri-apps/api/core', message: 'Call the core through `call` in src/ipc/client.ts.' },
            { name: '@tauri-apps/api/event', message: 'Hear the core’s events through `listen` in src/ipc/client.ts.' },
            { name: '@tauri-apps/api', message: 'Reach the core through src/ipc/client.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/ipc/client.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Test code runs in Node and, inside page callbacks, in the browser.
    files: ['tests/**/*.{js,ts}', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
