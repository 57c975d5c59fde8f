/**
 * A model reference is `provider:model` ("google:gemini-2.5-pro") or an agent CLI by name,
 * optionally with its model ("claude-code", "claude-code:claude-sonnet-5-5"). Pure.
 */

export interface ModelRef {
  provider: string;
  model: string | undefined;
}

const providerPattern = /^[a-z][a-z0-9-]*$/;

export function parseModelRef(ref: string): ModelRef | { error: string } {
  const colon = ref.indexOf(":");
  const provider = colon === -1 ? ref : ref.slice(0, colon);
  const model = colon === -1 ? undefined : ref.slice(colon + 1);
  if (!providerPattern.test(provider)) {
    return {
      error: `"${ref}" is not a model reference: expected "provider:model" (e.g. "google:gemini-2.5-pro") or an agent CLI name (e.g. "claude-code")`,
    };
  }
  if (model !== undefined && model.trim() === "") {
    return { error: `"${ref}" names no model after "${provider}:"` };
  }
  return { provider, model };
}
