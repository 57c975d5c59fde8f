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
  ".h": "cpp",
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

/**
 * Per language: literal values (objects, arrays, tables, long strings) outside bodies that are
 * left out when long (outline.ts `elideValue`): a table of 300 entries tells the planner less
 * than its name and its size. Types are other nodes (TypeScript's `object_type`), so they stay.
 */
export const valueNodes: Record<OutlineLanguage, readonly string[]> = {
  typescript: ["object", "array", "template_string", "string"],
  tsx: ["object", "array", "template_string", "string"],
  javascript: ["object", "array", "template_string", "string"],
  python: ["dictionary", "list", "set", "tuple", "string", "concatenated_string"],
  go: ["literal_value"],
  rust: ["array_expression"],
  java: ["array_initializer"],
  c: ["initializer_list"],
  cpp: ["initializer_list"],
  c_sharp: ["initializer_expression"],
  ruby: ["hash", "array"],
  php: ["array_creation_expression"],
};

const jsInitializers = {
  variable_declarator: "value",
  assignment_expression: "right",
  public_field_definition: "value",
  field_definition: "value",
};

/**
 * Per language: declarations and assignments outside bodies, with the field that holds the
 * value given to the name. A long value that is not a function or a class is left out
 * (outline.ts `elideInitializer`): the name and its type are the outline, the value is code.
 */
export const initializers: Record<OutlineLanguage, Readonly<Record<string, string>>> = {
  typescript: jsInitializers,
  tsx: jsInitializers,
  javascript: jsInitializers,
  python: { assignment: "right" },
  go: { var_spec: "value", const_spec: "value" },
  rust: { const_item: "value", static_item: "value" },
  java: { variable_declarator: "value" },
  c: { init_declarator: "value" },
  cpp: { init_declarator: "value" },
  c_sharp: {},
  ruby: { assignment: "right" },
  php: { assignment_expression: "right", property_element: "default_value" },
};

/** JavaScript and TypeScript: module-level blocks and CommonJS boilerplate are theirs. */
export const javascriptFamily: ReadonlySet<OutlineLanguage> = new Set([
  "typescript",
  "tsx",
  "javascript",
]);

/** Languages whose bodies are indented blocks or end with `end`, not braces. */
export const lineComment: Partial<Record<OutlineLanguage, string>> = { python: "#", ruby: "#" };
