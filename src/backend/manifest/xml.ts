/**
 * A tiny, dependency-free XML writer: enough to emit the add-in manifest with every
 * attribute value and text node escaped. Pure functions over plain data.
 *
 * Escaping follows XML 1.0 §2.4 (character data) and §3.1 (attribute values):
 * https://www.w3.org/TR/xml/#syntax
 */

/** One element: a name, its attributes in output order, and either children or text. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: readonly (readonly [string, string])[];
  readonly children: readonly XmlElement[];
  readonly text?: string;
}

/** Builds an element. `attrs` keeps insertion order, so the output is stable. */
export function el(
  name: string,
  attrs: Readonly<Record<string, string>> = {},
  children: readonly XmlElement[] = [],
): XmlElement {
  return { name, attrs: Object.entries(attrs), children };
}

/** Builds an element whose only content is text, e.g. `<Version>1.0</Version>`. */
export function textEl(name: string, text: string, attrs: Readonly<Record<string, string>> = {}): XmlElement {
  return { name, attrs: Object.entries(attrs), children: [], text };
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTR_ESCAPES: Readonly<Record<string, string>> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Escapes character data (`&`, `<`, `>`). */
export function escapeText(value: string): string {
  return value.replace(/[&<>]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

/** Escapes an attribute value for double quotes; whitespace is kept as character references. */
export function escapeAttr(value: string): string {
  return value.replace(/[&<>"'\t\n\r]/g, (c) => ATTR_ESCAPES[c] ?? c);
}

function render(node: XmlElement, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const attrs = node.attrs.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  if (node.text !== undefined) {
    out.push(`${pad}<${node.name}${attrs}>${escapeText(node.text)}</${node.name}>`);
  } else if (node.children.length === 0) {
    out.push(`${pad}<${node.name}${attrs} />`);
  } else {
    out.push(`${pad}<${node.name}${attrs}>`);
    for (const child of node.children) render(child, depth + 1, out);
    out.push(`${pad}</${node.name}>`);
  }
}

/**
 * Serialises a document: XML declaration, optional leading comment, the root element,
 * two-space indentation and a final newline.
 */
export function renderDocument(root: XmlElement, comment?: string): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  if (comment !== undefined) {
    // "--" may not occur inside an XML comment (XML 1.0 §2.5).
    if (comment.includes('--') || comment.endsWith('-')) throw new Error('invalid XML comment');
    out.push(`<!-- ${comment} -->`);
  }
  render(root, 0, out);
  return `${out.join('\n')}\n`;
}
