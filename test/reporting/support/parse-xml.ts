/**
 * A strict, tiny XML reader for checking our reports are well-formed: elements, attributes, text,
 * the five named entities and character references. It throws on anything a conforming parser would
 * reject that our writer could plausibly produce (raw `<` or `&`, mismatched tags, invalid characters).
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function decode(raw: string, where: number): string {
  if (raw.includes('<')) throw new Error(`raw "<" near ${where}`);
  return raw.replace(/&([^;]*);|&/g, (match, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare "&" near ${where}`);
    if (ref in NAMED) return NAMED[ref]!;
    const code = /^#x[0-9a-fA-F]+$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#\d+$/.test(ref) ? Number(ref.slice(1)) : NaN;
    if (Number.isNaN(code)) throw new Error(`unknown entity ${match} near ${where}`);
    return String.fromCodePoint(code);
  });
}

export function parseXml(xml: string): XmlElement {
  if (INVALID.test(xml)) throw new Error('character not allowed in XML 1.0');
  let i = 0;
  const declaration = /^<\?xml [^?]*\?>\s*/.exec(xml);
  if (declaration) i = declaration[0].length;

  function element(): XmlElement {
    const open = /^<([A-Za-z_][\w.-]*)/.exec(xml.slice(i));
    if (!open) throw new Error(`expected an element at ${i}`);
    i += open[0].length;
    const node: XmlElement = { name: open[1]!, attributes: {}, children: [], text: '' };
    for (;;) {
      const attr = /^\s+([A-Za-z_][\w.-]*)="([^"]*)"/.exec(xml.slice(i));
      if (!attr) break;
      if (attr[1]! in node.attributes) throw new Error(`duplicate attribute ${attr[1]}`);
      node.attributes[attr[1]!] = decode(attr[2]!, i);
      i += attr[0].length;
    }
    const end = /^\s*(\/?)>/.exec(xml.slice(i));
    if (!end) throw new Error(`malformed start tag <${node.name}> at ${i}`);
    i += end[0].length;
    if (end[1] === '/') return node;
    for (;;) {
      const next = xml.indexOf('<', i);
      if (next === -1) throw new Error(`unclosed <${node.name}>`);
      node.text += decode(xml.slice(i, next), i);
      i = next;
      if (xml.startsWith('</', i)) {
        const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(xml.slice(i));
        if (!close || close[1] !== node.name) throw new Error(`expected </${node.name}> at ${i}`);
        i += close[0].length;
        return node;
      }
      node.children.push(element());
    }
  }

  const root = element();
  if (xml.slice(i).trim() !== '') throw new Error('content after the root element');
  return root;
}
