/**
 * XML 1.0 escaping for report text that comes from anywhere: scenario names, AWS bodies, error messages.
 * Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) become
 * U+FFFD, so a stray byte in a response body can never make the whole report unreadable.
 */
const INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** A carriage return is written as a reference: parsers turn a raw one into a line feed. */
export function xmlText(value: string): string {
  return value.replace(INVALID, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Also escapes quotes, newlines and tabs: parsers fold raw ones in attributes into spaces. */
export function xmlAttr(value: string): string {
  return xmlText(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** `<name a="1" b="2"` without the closing bracket, attributes in the given order. */
export function openTag(name: string, attributes: Record<string, string | number>): string {
  const attrs = Object.entries(attributes).map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`).join('');
  return `<${name}${attrs}`;
}
