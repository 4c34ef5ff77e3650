import { describe, expect, it } from 'vitest';
import { splitCommands, TokenizeError, tokenize } from '../src/tokenize.js';

describe('virsh command-string grammar', () => {
  it('splits words on blanks and commands on ; and newlines', () => {
    expect(splitCommands('list --all; dominfo test\ndomid  test ')).toEqual([
      ['list', '--all'],
      ['dominfo', 'test'],
      ['domid', 'test'],
    ]);
  });
  it('drops empty commands', () => {
    expect(splitCommands(' ; ; domid test ;')).toEqual([['domid', 'test']]);
    expect(splitCommands('   ')).toEqual([]);
  });
  it('keeps quoted text together and removes the quotes', () => {
    expect(splitCommands(`echo 'a b' "c d" e"f g"h`)).toEqual([['echo', 'a b', 'c d', 'ef gh']]);
    expect(splitCommands(`echo 'a;b' "c;d"`)).toEqual([['echo', 'a;b', 'c;d']]);
  });
  it('treats backslash as an escape outside single quotes', () => {
    expect(splitCommands(String.raw`echo a\ b te\st "x\"y" 'p\q'`)).toEqual([
      ['echo', 'a b', 'test', 'x"y', String.raw`p\q`],
    ]);
    expect(splitCommands('echo a\\;b')).toEqual([['echo', 'a;b']]);
  });
  it('keeps empty quoted words', () => {
    expect(splitCommands(`dominfo ''`)).toEqual([['dominfo', '']]);
  });
  it('reads # at the start of a word as a comment to the end of the line', () => {
    expect(splitCommands('domid test # comment; more\nlist')).toEqual([['domid', 'test'], ['list']]);
    expect(splitCommands('domid test#x')).toEqual([['domid', 'test#x']]);
    expect(splitCommands('#x; domid test')).toEqual([]);
  });
  it('reports what virsh reports for bad quoting', () => {
    expect(() => tokenize('domid "test')).toThrow(new TokenizeError('missing "'));
    expect(() => tokenize('domid test\\')).toThrow(new TokenizeError('dangling \\'));
    // An unterminated single quote is accepted, as virsh does.
    expect(splitCommands("domid 'test")).toEqual([['domid', 'test']]);
  });
});
