import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * What a person may read in the portal comes from the catalogs (packages/api/src/i18n/messages):
 * JSX text with a letter in it, and string literals given to JSX as text or to attributes people
 * read, are refused. The brand, codes and addresses are allowed.
 */
const ALLOWED_TEXT = new Set(["mastoc accounts"]);
const READ_ATTRIBUTES = new Set([
  "alt",
  "title",
  "placeholder",
  "label",
  "aria-label",
  "hint",
  "confirmLabel",
  "caption",
  "empty",
]);
/** Codes and addresses read the same in every language: `auth.login`, `ada@example.com`. */
const MACHINE_TOKEN = /^[\w+-]+(?:[.@][\w+-]+)+$/;
const hasWords = (text) =>
  /\p{L}{2,}/u.test(text) && !ALLOWED_TEXT.has(text.trim()) && !MACHINE_TOKEN.test(text.trim());
const noUntranslatedText = {
  meta: { type: "problem", messages: { literal: "Text people read goes through the catalogs (t(…)): {{text}}" } },
  create(context) {
    const report = (node, text) =>
      context.report({ node, messageId: "literal", data: { text: text.trim().slice(0, 40) } });
    return {
      JSXText(node) {
        if (hasWords(node.value)) report(node, node.value);
      },
      "JSXExpressionContainer > Literal"(node) {
        if (typeof node.value === "string" && node.parent.parent.type !== "JSXAttribute" && hasWords(node.value))
          report(node, node.value);
      },
      "JSXExpressionContainer > TemplateLiteral"(node) {
        const text = node.quasis.map((quasi) => quasi.value.cooked).join(" ");
        if (node.parent.parent.type !== "JSXAttribute" && hasWords(text)) report(node, text);
      },
      JSXAttribute(node) {
        if (!READ_ATTRIBUTES.has(node.name.name) || node.value?.type !== "Literal") return;
        if (typeof node.value.value === "string" && hasWords(node.value.value)) report(node, node.value.value);
      },
    };
  },
};

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/.next/**",
      "**/dist/**",
      "**/generated/**",
      "**/test-results/**",
      "**/playwright-report/**",
      "**/next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        fetch: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        AbortSignal: "readonly",
        TextEncoder: "readonly",
        Headers: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "no-empty-pattern": "off",
    },
  },
  {
    files: ["apps/web/src/app/**/*.tsx", "apps/web/src/components/**/*.tsx"],
    plugins: { i18n: { rules: { "no-untranslated-text": noUntranslatedText } } },
    rules: { "i18n/no-untranslated-text": "error" },
  },
);
