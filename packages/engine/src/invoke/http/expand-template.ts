/**
 * Endpoint URL templates (api.md §10.2): every `{name}` is replaced by the argument `name`, strings as they are and
 * any other value as compact JSON, then percent-encoded byte-wise over UTF-8 leaving only
 * `A–Z a–z 0–9 - _ . ~ $ & + : = @` unescaped (upper-case hex). The rest of the template is kept verbatim.
 * Pure: no I/O, no URL parsing.
 */
import type { Args, Json } from '../../model/types.js';

export type ExpandedTemplate = { url: string } | { missing: string };

const KEEP = new Uint8Array(128);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~$&+:=@') KEEP[ch.charCodeAt(0)] = 1;

const ESCAPES: readonly string[] = Array.from(
  { length: 256 },
  (_, byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
);

/** Percent-encodes one inserted value per api.md §10.2. */
export const encodeArgument = (text: string): string => {
  let clean = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || KEEP[code] === 0) {
      clean = false;
      break;
    }
  }
  if (clean) return text;
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += byte < 128 && KEEP[byte] === 1 ? String.fromCharCode(byte) : ESCAPES[byte];
  }
  return out;
};

const argumentText = (value: Json): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Replaces `{name}` placeholders with encoded arguments. A placeholder whose argument is absent yields
 * `{ missing: name }` (the first one, left to right). Text without a closing brace, and `{}`, stay verbatim.
 */
export const expandTemplate = (template: string, args: Args): ExpandedTemplate => {
  let open = template.indexOf('{');
  if (open < 0) return { url: template };
  let url = '';
  let from = 0;
  while (open >= 0) {
    const close = template.indexOf('}', open + 1);
    if (close < 0) break;
    const nested = template.lastIndexOf('{', close);
    if (nested > open) open = nested;
    if (close === open + 1) {
      open = template.indexOf('{', close + 1);
      continue;
    }
    const name = template.slice(open + 1, close);
    const value = Object.hasOwn(args, name) ? args[name] : undefined;
    if (value === undefined) return { missing: name };
    url += template.slice(from, open) + encodeArgument(argumentText(value));
    from = close + 1;
    open = template.indexOf('{', from);
  }
  return { url: from === 0 ? template : url + template.slice(from) };
};
