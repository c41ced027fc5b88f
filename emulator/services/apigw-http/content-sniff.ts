/**
 * The `content-type` an HTTP API gives a full-form 2.0 response that set none. Users report
 * `text/plain; charset=utf-8` (fujiwara/ridge#9, awslabs/aws-lambda-go-api-proxy#116), which is what
 * Go's `http.DetectContentType` answers for text; we assume the same sniffing for the other cases it
 * recognises (HTML, XML, common images, PDF, binary). An empty body gets no `content-type`.
 */
const HTML_TAGS = ['<!DOCTYPE HTML', '<HTML', '<HEAD', '<SCRIPT', '<IFRAME', '<H1', '<DIV', '<FONT', '<TABLE', '<A', '<STYLE', '<TITLE', '<B', '<BODY', '<BR', '<P', '<!--'];

const MAGIC: Array<[number[], string]> = [
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'image/png'],
  [[0xff, 0xd8, 0xff], 'image/jpeg'],
  [[0x47, 0x49, 0x46, 0x38], 'image/gif'],
  [[0x25, 0x50, 0x44, 0x46, 0x2d], 'application/pdf'],
];

export function sniffContentType(body: Buffer): string | undefined {
  if (body.length === 0) return undefined;
  const head = body.subarray(0, 512);
  for (const [magic, type] of MAGIC) if (magic.every((b, i) => head[i] === b)) return type;
  let start = 0;
  while (start < head.length && (head[start] === 0x20 || (head[start]! >= 0x09 && head[start]! <= 0x0d))) start++;
  const text = head.subarray(start, start + 16).toString('latin1').toUpperCase();
  for (const tag of HTML_TAGS) {
    if (!text.startsWith(tag)) continue;
    const next = text.charCodeAt(tag.length);
    if (next === 0x20 || next === 0x3e) return 'text/html; charset=utf-8';
  }
  if (text.startsWith('<?XML')) return 'text/xml; charset=utf-8';
  for (const byte of head) if (isBinaryByte(byte)) return 'application/octet-stream';
  return 'text/plain; charset=utf-8';
}

/** Control bytes that never occur in text (Go's sniffing table). */
function isBinaryByte(b: number): boolean {
  return b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f);
}
