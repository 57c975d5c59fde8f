import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "exit", message: "Only bin/ may exit; throw a SpeError." },
        { object: "process", property: "chdir", message: "Pass cwd explicitly." },
      ],
    },
  },
  {
    // Plain JavaScript scripts run on Node.
    files: ["**/*.{js,mjs}"],
    languageOptions: {
      globals: Object.fromEntries(
        [
          "process",
          "console",
          "URL",
          "Buffer",
          "performance",
          "setTimeout",
          "setInterval",
          "clearTimeout",
          "clearInterval",
          "setImmediate",
        ].map((name) => [name, "readonly"]),
      ),
    },
  },
  {
    files: ["bin/**", "scripts/**", "bench/**"],
    rules: { "no-restricted-properties": "off" },
  },
);
