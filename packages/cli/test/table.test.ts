import { describe, expect, it } from 'vitest';
import { capacityText, fixed, prettyCapacity } from '../src/output/format.js';
import { displayWidth, Table } from '../src/output/table.js';

describe('vshTable layout', () => {
  it('pads columns to the widest cell plus two and underlines the header', () => {
    const t = new Table(['Id', 'Name', 'State']).add('1', 'test', 'running').add('-', 'dom2', 'shut off');
    expect(t.render()).toBe(
      ' Id   Name   State\n-----------------------\n 1    test   running\n -    dom2   shut off\n',
    );
  });
  it('prints an empty table as header and dashes only', () => {
    expect(new Table(['Id', 'Name', 'State']).render()).toBe(' Id   Name   State\n--------------------\n');
  });
  it('pads a trailing empty column like virsh', () => {
    const t = new Table(['Id', 'Name', 'State', 'Title']).add('1', 'test', 'running', '');
    expect(t.render()).toBe(' Id   Name   State     Title\n------------------------------\n 1    test   running   \n');
  });
  it('ignores the header for widths when it is hidden (-q)', () => {
    const t = new Table(['Id', 'Name', 'State']).add('1', 'test', 'running');
    expect(t.render(false)).toBe(' 1   test   running\n');
  });
  it('counts wide characters as two columns and escapes control characters', () => {
    expect(displayWidth('漢字')).toBe(4);
    const t = new Table(['Name', 'X']).add('a\tb', 'y');
    expect(t.render(false)).toBe(' a\\x09b   y\n');
  });
});

describe('sizes', () => {
  it('scales like vshPrettyCapacity', () => {
    expect(prettyCapacity(0)).toEqual({ value: 0, unit: 'B' });
    expect(capacityText(107374182400)).toBe('100.00 GiB');
    expect(capacityText(1084227584)).toBe('1.01 GiB');
    expect(capacityText(10485760)).toBe('10.00 MiB');
    expect(capacityText(1536000)).toBe('1.46 MiB');
  });
  it('rounds exact ties to even, like glibc printf', () => {
    expect(fixed(0.125, 2)).toBe('0.12');
    expect(fixed(0.375, 2)).toBe('0.38');
    expect(fixed(2.5, 0)).toBe('2');
  });
});
