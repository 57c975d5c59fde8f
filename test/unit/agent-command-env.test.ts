import { expect, it } from "vitest";
import { commandEnvironment } from "../../src/agent/command-env.ts";

it("removes provider keys and settings, credentials by name, extra names and git pinning", () => {
  const env = commandEnvironment(
    {
      PATH: "/usr/bin",
      HOME: "/home/u",
      ANTHROPIC_API_KEY: "x",
      ANTHROPIC_BASE_URL: "x",
      ANTHROPIC_MODEL: "x",
      CLAUDE_CODE_OAUTH_TOKEN: "x",
      GEMINI_API_KEY: "x",
      GOOGLE_API_KEY: "x",
      GOOGLE_GEMINI_BASE_URL: "x",
      GOOGLE_GENAI_USE_VERTEXAI: "x",
      GOOGLE_APPLICATION_CREDENTIALS: "x",
      OPENAI_API_KEY: "x",
      OPENAI_BASE_URL: "x",
      GITHUB_TOKEN: "x",
      npm_config__auth_token: "x",
      AWS_SECRET_ACCESS_KEY: "x",
      DB_PASSWORD: "x",
      APP_SECRET: "x",
      MY_LLM_KEY: "x",
      GIT_DIR: "x",
      GIT_INDEX_FILE: "x",
      GIT_WORK_TREE: "x",
      GIT_COMMON_DIR: "x",
      GIT_CONFIG_PARAMETERS: "x",
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "x",
      GIT_CONFIG_VALUE_0: "x",
      GIT_AUTHOR_NAME: "kept",
      NODE_ENV: "test",
      KEYBOARD: "kept",
    },
    ["my_llm_key"],
  );
  expect(env).toEqual({
    PATH: "/usr/bin",
    HOME: "/home/u",
    GIT_AUTHOR_NAME: "kept",
    NODE_ENV: "test",
    KEYBOARD: "kept",
    GIT_TERMINAL_PROMPT: "0",
  });
});

it("does not modify the caller's environment", () => {
  const caller = { ANTHROPIC_API_KEY: "x", PATH: "/bin" };
  commandEnvironment(caller);
  expect(caller).toEqual({ ANTHROPIC_API_KEY: "x", PATH: "/bin" });
});
