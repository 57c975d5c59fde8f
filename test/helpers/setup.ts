/**
 * Every test worker starts hermetic: no system, global or XDG git config, no repository pinned
 * by an outer hook's GIT_* variables, and no real API keys, tokens or base URLs from the
 * runner's shell.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const globalConfig = path.join(os.tmpdir(), `git-spe-test-gitconfig-${process.pid}`);
fs.writeFileSync(
  globalConfig,
  "[user]\n\tname = Spe Test\n\temail = spe-test@example.invalid\n[init]\n\tdefaultBranch = main\n" +
    "[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n[commit]\n\tgpgsign = false\n[advice]\n\tdetachedHead = false\n",
);
process.env.GIT_CONFIG_NOSYSTEM = "1";
process.env.GIT_CONFIG_GLOBAL = globalConfig;
for (const name of Object.keys(process.env)) {
  if (
    /^GIT_(DIR|WORK_TREE|INDEX_FILE|COMMON_DIR|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|PREFIX|NAMESPACE|CONFIG_PARAMETERS|CONFIG_COUNT)$/.test(
      name,
    )
  ) {
    delete process.env[name];
  }
  // Provider credentials and endpoints the SDKs or agent CLIs would read on their own.
  if (/_(API_KEY|BASE_URL|AUTH_TOKEN|OAUTH_TOKEN)$/.test(name)) delete process.env[name];
  if (/^(GOOGLE_APPLICATION_CREDENTIALS|GOOGLE_GENAI_USE_VERTEXAI|GOOGLE_CLOUD_.*)$/.test(name))
    delete process.env[name];
}
// git's defaults outside the global config (~/.config/git/ignore, attributes) are not the
// developer's either; npm in a test never checks the registry for its own updates.
const xdgConfig = path.join(os.tmpdir(), `git-spe-test-xdg-${process.pid}`);
fs.mkdirSync(xdgConfig, { recursive: true });
process.env.XDG_CONFIG_HOME = xdgConfig;
process.env.npm_config_update_notifier = "false";
delete process.env.NO_COLOR;
delete process.env.SPE;
