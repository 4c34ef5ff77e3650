import { describe, expect, it } from 'vitest';
import { OptionError, parseGlobalOptions } from '../src/cli-options.js';

describe('global options (getopt_long "+:c:d:e:hk:K:l:qrtvV")', () => {
  it('reads short, bundled and long forms and stops at the command', () => {
    const o = parseGlobalOptions(['-rq', '-c', 'test:///default', '--json', 'list', '--all']);
    expect(o).toMatchObject({
      readOnly: true,
      quiet: true,
      json: true,
      uri: 'test:///default',
      rest: ['list', '--all'],
    });
    expect(parseGlobalOptions(['-ctest:///default', 'list']).uri).toBe('test:///default');
    expect(parseGlobalOptions(['--connect=test:///x', 'uri']).uri).toBe('test:///x');
    expect(parseGlobalOptions(['--conn', 'test:///y']).uri).toBe('test:///y');
  });
  it('knows the version forms', () => {
    expect(parseGlobalOptions(['-v']).version).toBe('short');
    expect(parseGlobalOptions(['-V']).version).toBe('long');
    expect(parseGlobalOptions(['--version']).version).toBe('short');
    expect(parseGlobalOptions(['--version=long']).version).toBe('long');
  });
  it('words virsh errors', () => {
    expect(() => parseGlobalOptions(['--bogus'])).toThrow(new OptionError("unsupported option '--bogus'. See --help."));
    expect(() => parseGlobalOptions(['-x'])).toThrow(new OptionError("unsupported option '-x'. See --help."));
    expect(() => parseGlobalOptions(['-c'])).toThrow(new OptionError("option '-c'/'--connect' requires an argument"));
  });
});
