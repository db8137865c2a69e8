/**
 * The purpose-built XML scanner behind `parseXml` (src/protocol/ews.ts): the well-formedness
 * rules it enforces (XML 1.0 §2.1, §3.1) and the tree it builds (Namespaces in XML 1.0 §6),
 * beyond what the EWS fixtures exercise.
 */
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../src/protocol/ews.ts';
import { expectParseError } from './helpers.ts';

describe('parseXml: well-formedness', () => {
  it.each([
    ['a duplicate attribute', '<a x="1" x="2"/>'],
    ['an unquoted attribute', '<a x=1/>'],
    ['< in an attribute value', '<a x="<"/>'],
    ['attributes without whitespace between them', '<a x="1"y="2"/>'],
    ['two root elements', '<a/><b/>'],
    ['text after the root', '<a/>text'],
    ['text before the root', 'text<a/>'],
    ['an unclosed element', '<a><b/>'],
    ['a wrong end tag', '<a></b>'],
    ['an unterminated comment', '<a><!-- x</a>'],
    ['an unterminated CDATA section', '<a><![CDATA[x</a>'],
    ['a markup declaration inside content', '<a><!ELEMENT a ANY></a>'],
    ['a control character', '<a>\u0001</a>'],
    ['a start tag without a name', '< a/>'],
  ])('refuses %s', (_name, xml) => {
    expectParseError(() => parseXml(xml), 'xml', 'malformed');
  });

  it('refuses nesting deeper than 128 elements', () => {
    expectParseError(() => parseXml(`${'<a>'.repeat(200)}${'</a>'.repeat(200)}`), 'xml', 'too-deep');
  });

  it('skips the declaration, comments and PIs; reads CDATA as literal text; decodes entities', () => {
    const el = parseXml(
      '\uFEFF<?xml version="1.0"?><!-- c --><a b="&lt;&#x41;" c=\'q\'>x<!-- y --><![CDATA[&<]]><?pi z?>&amp;y</a> <!-- end -->',
    );
    expect(el.local).toBe('a');
    expect([...el.attrs]).toEqual([
      ['b', '<A'],
      ['c', 'q'],
    ]);
    expect(el.text).toBe('x&<&y');
  });

  it('resolves prefixes and default namespaces in scope, and keeps only unprefixed attributes', () => {
    const el = parseXml(
      '<s:E xmlns:s="urn:s" xmlns="urn:d"><B t:x="1" y="2" xmlns:t="urn:t"><t:C/></B><D xmlns=""/></s:E>',
    );
    expect(el).toMatchObject({ ns: 'urn:s', local: 'E' });
    const [b, d] = el.children;
    expect(b).toMatchObject({ ns: 'urn:d', local: 'B' });
    expect([...(b?.attrs ?? [])]).toEqual([['y', '2']]);
    expect(b?.children[0]).toMatchObject({ ns: 'urn:t', local: 'C' });
    expect(d).toMatchObject({ ns: undefined, local: 'D' });
    // A prefix declared on a sibling is not in scope here.
    expectParseError(() => parseXml('<a><b xmlns:p="urn:p"/><p:c/></a>'), 'xml', 'unbound-prefix');
  });
});
