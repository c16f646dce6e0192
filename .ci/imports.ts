/**
 * The imports of a JavaScript or TypeScript file, from its text. A small
 * lexer first separates code from comments, strings, template literals and
 * regular expressions, so an import written inside a string (a test's
 * fixture) or a quote inside a regex never counts, while JSDoc
 * `import("…")` types in comments do (as type-only imports).
 */

/** One import of a file. */
export interface Import {
  spec: string;
  /** `import type`, `export type`, or a JSDoc type in a comment: erased at run time. */
  typeOnly: boolean;
}

interface Scanned {
  /** The code with every string replaced by `"@N"` (N indexes `strings`) and comments blanked. */
  code: string;
  strings: string[];
  comments: string[];
}

/** Keywords after which a `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set([
  "return",
  "typeof",
  "case",
  "do",
  "else",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "instanceof",
  "yield",
  "await",
]);

function scan(text: string): Scanned {
  const strings: string[] = [];
  const comments: string[] = [];
  let code = "";
  let i = 0;
  /** Brace depth of each open `${`, so its `}` returns to the template. */
  const templates: number[] = [];
  let depth = 0;

  const regexAllowed = () => {
    const before = code.trimEnd();
    if (!before) return true;
    const last = before[before.length - 1]!;
    if ("(,=:[!&|?{};+-*%<>~^".includes(last)) return true;
    const word = /([A-Za-z_$][\w$]*)$/.exec(before)?.[1];
    return word !== undefined && BEFORE_REGEX.has(word);
  };

  /** Reads a template literal's text from `i` (after the backtick) up to its end or a `${`. */
  const templateText = () => {
    while (i < text.length) {
      const c = text[i]!;
      if (c === "\\") i += 2;
      else if (c === "`") {
        i++;
        code += '""';
        return;
      } else if (c === "$" && text[i + 1] === "{") {
        i += 2;
        templates.push(depth);
        code += '"" + (';
        return;
      } else i++;
    }
  };

  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      const end = text.indexOf("\n", i);
      const stop = end < 0 ? text.length : end;
      comments.push(text.slice(i, stop));
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      comments.push(text.slice(i, stop));
      code += " ";
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let value = "";
      while (j < text.length && text[j] !== c && text[j] !== "\n") {
        if (text[j] === "\\") {
          value += text[j + 1] ?? "";
          j += 2;
        } else value += text[j++];
      }
      code += `"@${strings.length}"`;
      strings.push(value);
      i = j + 1;
    } else if (c === "`") {
      i++;
      templateText();
    } else if (c === "/" && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      while (j < text.length && text[j] !== "\n") {
        const r = text[j]!;
        if (r === "\\") j++;
        else if (r === "[") inClass = true;
        else if (r === "]") inClass = false;
        else if (r === "/" && !inClass) break;
        j++;
      }
      j++;
      while (j < text.length && /[a-z]/i.test(text[j]!)) j++;
      code += "/r/";
      i = j;
    } else if (c === "{") {
      depth++;
      code += c;
      i++;
    } else if (c === "}") {
      if (templates.length && templates[templates.length - 1] === depth) {
        templates.pop();
        code += ') + ""';
        i++;
        templateText();
      } else {
        depth--;
        code += c;
        i++;
      }
    } else {
      code += c;
      i++;
    }
  }
  return { code, strings, comments };
}

/** Every import of a file: static, re-exports, side-effect, dynamic, and JSDoc types. */
export function importsOf(text: string): Import[] {
  const { code, strings, comments } = scan(text);
  const out: Import[] = [];
  const seen = new Set<number>();
  const take = (pattern: RegExp, typeOnly: (match: RegExpExecArray) => boolean) => {
    for (const m of code.matchAll(pattern)) {
      const n = Number(m[m.length - 1]);
      if (seen.has(n)) continue;
      seen.add(n);
      out.push({ spec: strings[n]!, typeOnly: typeOnly(m) });
    }
  };
  // `import … from "x"`, `export … from "x"` (with `type` right after the keyword: type-only).
  take(/\b(import|export)(\s+type\b)?[^;"]*?\bfrom\s*"@(\d+)"/g, (m) => m[2] !== undefined);
  take(/\bimport\s*"@(\d+)"/g, () => false);
  take(/\bimport\s*\(\s*"@(\d+)"/g, () => false);
  for (const comment of comments) {
    for (const m of comment.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)) {
      out.push({ spec: m[1]!, typeOnly: true });
    }
    for (const m of comment.matchAll(/@import\b[^"']*?\bfrom\s*["']([^"']+)["']/g)) {
      out.push({ spec: m[1]!, typeOnly: true });
    }
  }
  return out;
}

/**
 * Which of `names` (dotted, like `Deno.env`) the code uses, comments and
 * strings aside; each once.
 */
export function usesOf(text: string, names: string[]): string[] {
  const { code } = scan(text);
  return names.filter((name) => {
    const escaped = name.replaceAll(".", "\\s*\\.\\s*");
    return new RegExp(`(?<![\\w$.])${escaped}(?![\\w$])`).test(code);
  });
}
