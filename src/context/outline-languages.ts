/**
 * The languages outlined (outline.ts): which extension is which grammar of
 * @repomix/tree-sitter-wasms, and per language the nodes whose bodies are left out.
 */
import path from "node:path";

export type OutlineLanguage =
  | "typescript"
  | "tsx"
  | "javascript"
  | "python"
  | "go"
  | "rust"
  | "java"
  | "c"
  | "cpp"
  | "c_sharp"
  | "ruby"
  | "php";

const byExtension: Record<string, OutlineLanguage> = {
  ".ts": "typescript",
  ".mts": "typescript",
  ".cts": "typescript",
  ".tsx": "tsx",
  ".js": "javascript",
  ".mjs": "javascript",
  ".cjs": "javascript",
  ".jsx": "javascript",
  ".py": "python",
  ".pyi": "python",
  ".go": "go",
  ".rs": "rust",
  ".java": "java",
  ".c": "c",
  ".h": "c",
  ".cc": "cpp",
  ".cpp": "cpp",
  ".cxx": "cpp",
  ".hh": "cpp",
  ".hpp": "cpp",
  ".hxx": "cpp",
  ".cs": "c_sharp",
  ".rb": "ruby",
  ".php": "php",
};

/** The language a path is outlined as, if any (by its extension). */
export function outlineLanguageOf(file: string): OutlineLanguage | undefined {
  return byExtension[path.extname(file).toLowerCase()];
}

const jsBodies = [
  "function_declaration",
  "generator_function_declaration",
  "function_expression",
  "function",
  "generator_function",
  "arrow_function",
  "method_definition",
];

/** Per language: the nodes whose `body` field is left out. */
export const bodyOwners: Record<OutlineLanguage, readonly string[]> = {
  typescript: jsBodies,
  tsx: jsBodies,
  javascript: jsBodies,
  python: ["function_definition"],
  go: ["function_declaration", "method_declaration", "func_literal"],
  rust: ["function_item", "closure_expression"],
  java: ["method_declaration", "constructor_declaration", "lambda_expression"],
  c: ["function_definition"],
  cpp: ["function_definition", "lambda_expression"],
  c_sharp: [
    "method_declaration",
    "constructor_declaration",
    "destructor_declaration",
    "operator_declaration",
    "local_function_statement",
    "lambda_expression",
  ],
  ruby: ["method", "singleton_method"],
  php: [
    "function_definition",
    "method_declaration",
    "anonymous_function",
    "anonymous_function_creation_expression",
  ],
};

/** Languages whose bodies are indented blocks or end with `end`, not braces. */
export const lineComment: Partial<Record<OutlineLanguage, string>> = { python: "#", ruby: "#" };
