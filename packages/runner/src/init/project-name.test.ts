import { describe, expect, it } from 'vitest';
import { UserError } from '../cli/user-error.js';
import { projectNameFromDir, unscopedName, validateProjectName } from './project-name.js';

describe('project names', () => {
  it('accepts npm package names, scoped or not', () => {
    for (const n of ['my-bot', 'bot2', 'a.b_c~d', '@me/my-bot']) expect(validateProjectName(n)).toBe(n);
  });

  it('refuses what npm would, and the @botplatform scope, with a one-line fix', () => {
    for (const n of ['My-Bot', 'my bot', '.hidden', '_x', '', 'a/b', '@me/', 'x'.repeat(215), 'bot!']) {
      expect(() => validateProjectName(n), n).toThrow(UserError);
    }
    expect(() => validateProjectName('Bad Name')).toThrow(
      /--name "Bad Name" is not a valid package name; use/,
    );
    expect(() => validateProjectName('@botplatform/sdk')).toThrow(/scope/);
  });

  it('derives the default from the directory name', () => {
    expect(projectNameFromDir('/home/me/My Strategy')).toBe('my-strategy');
    expect(projectNameFromDir('rel/_obi__v2_')).toBe('obi__v2');
    expect(() => projectNameFromDir('/tmp/___')).toThrow(/pass one with --name/);
  });

  it('strips a scope for file names', () => {
    expect(unscopedName('@me/my-bot')).toBe('my-bot');
    expect(unscopedName('my-bot')).toBe('my-bot');
  });
});
