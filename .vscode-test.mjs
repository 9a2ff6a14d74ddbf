// For people with internet: runs the same integration suites in a downloaded VS Code through
// @vscode/test-electron (`npm run test:electron`). Offline, `npm test` uses the code-server
// harness in test/harness instead.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/test/integration/**/*.test.js',
  workspaceFolder: './samples/corpus',
  mocha: { timeout: 20000 },
});
