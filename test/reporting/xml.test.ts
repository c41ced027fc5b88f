import { describe, expect, it } from 'vitest';
import { openTag, xmlAttr, xmlText } from '../../emulator/reporting/xml.ts';
import { parseXml } from './support/parse-xml.ts';

describe('XML escaping', () => {
  it('escapes markup in text', () => {
    expect(xmlText('a < b && c > d ]]>\r\n')).toBe('a &lt; b &amp;&amp; c &gt; d ]]&gt;&#13;\n');
  });

  it('escapes quotes and whitespace controls in attributes', () => {
    expect(xmlAttr(`"it's"\n\r\t`)).toBe('&quot;it&apos;s&quot;&#10;&#13;&#9;');
  });

  it('replaces characters XML 1.0 cannot carry, keeps astral ones', () => {
    expect(xmlText('a\u0000b\u001Fc\uFFFEd\uD800e😀')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe😀');
  });

  it('round-trips any string through an attribute and a text node', () => {
    const value = `<x a="1">&amp; 'q' \n\t\r ü 😀`;
    const parsed = parseXml(`${openTag('e', { v: value, n: 3 })}>${xmlText(value)}</e>`);
    expect(parsed.attributes).toEqual({ v: value, n: '3' });
    expect(parsed.text).toBe(value);
  });

  it('the test parser rejects what it should', () => {
    expect(() => parseXml('<a>x < y</a>')).toThrow();
    expect(() => parseXml('<a>x & y</a>')).toThrow();
    expect(() => parseXml('<a b="<"/>')).toThrow();
    expect(() => parseXml('<a><b></a>')).toThrow();
    expect(() => parseXml('<a>\u0000</a>')).toThrow();
  });
});
